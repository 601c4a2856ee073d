package com.poolhub.metering.aggregator.function;

import com.poolhub.metering.testing.UsageEventJson;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic usage events for a month, as the ingest pipeline receives them. */
final class SyntheticUsage {
    /** One generated event. */
    record Event(String source, String id, String tenant, String resource, String unit, BigDecimal quantity, Instant time) {
        String json() {
            return UsageEventJson.event(source, id, tenant, resource, unit, quantity.toPlainString(), time).toString();
        }
    }

    static final String[][] KINDS = {{"GPU", "compute_seconds"}, {"INFERENCE", "tokens"}, {"NETWORK", "gb"}};

    private SyntheticUsage() {
    }

    /** {@code perTenant} events per tenant at random instants of {@code [from, to)}, quantities with up to 6 decimals. */
    static List<Event> events(long seed, List<String> tenants, int perTenant, Instant from, Instant to) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        long span = to.getEpochSecond() - from.getEpochSecond();
        int n = 0;
        for (String tenant : tenants) {
            for (int i = 0; i < perTenant; i++) {
                String[] kind = KINDS[random.nextInt(KINDS.length)];
                Instant time = from.plusSeconds((long) (random.nextDouble() * span));
                BigDecimal quantity = switch (kind[0]) {
                    case "INFERENCE" -> BigDecimal.valueOf(random.nextInt(400_000));
                    default -> BigDecimal.valueOf(random.nextInt(900_000_000), 6);
                };
                events.add(new Event("//nodes/node-" + (n % 7), "ev-" + seed + "-" + n, tenant, kind[0], kind[1], quantity, time));
                n++;
            }
        }
        return events;
    }

    /** Stream records of up to {@code perRecord} events each (a record holds a JSON array). */
    static List<com.poolhub.metering.ingest.StreamRecord> records(List<Event> events, int perRecord, long firstSequence) {
        List<com.poolhub.metering.ingest.StreamRecord> records = new ArrayList<>();
        long sequence = firstSequence;
        for (int from = 0; from < events.size(); from += perRecord) {
            StringBuilder array = new StringBuilder("[");
            for (Event event : events.subList(from, Math.min(events.size(), from + perRecord))) {
                array.append(array.length() > 1 ? "," : "").append(event.json());
            }
            array.append(']');
            records.add(new com.poolhub.metering.ingest.StreamRecord("shardId-000000000000", Long.toString(sequence++),
                    "p", Instant.parse("2026-12-01T06:00:00Z"), ByteBuffer.wrap(array.toString().getBytes(StandardCharsets.UTF_8))));
        }
        return records;
    }
}

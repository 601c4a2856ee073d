package com.poolhub.metering.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.json.Json;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A reproducible stream of usage records cut into Lambda-sized batches: tenants × series at a steady
 * event rate, event time = arrival time, with a share of producer resends (an earlier event sent
 * again). It also keeps the expected minute totals of the distinct events, to check exactness.
 */
final class UsageWorkload {
    private static final String[][] SERIES = {{"GPU", "compute_seconds"}, {"INFERENCE", "tokens"}, {"NETWORK", "gb"}};
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm':00Z'")
            .withZone(ZoneOffset.UTC);

    final List<List<StreamRecord>> batches = new ArrayList<>();
    final Map<String, BigDecimal> expected = new TreeMap<>();
    final int events;
    int resends;

    UsageWorkload(int batchSize, int totalRecords, int tenants, int eventsPerSecond, double resendShare,
                  Instant start, long seed) {
        Random random = new Random(seed);
        List<String> sent = new ArrayList<>();
        List<StreamRecord> batch = new ArrayList<>();
        long sequence = 0;
        for (int i = 0; i < totalRecords; i++) {
            String json;
            if (!sent.isEmpty() && random.nextDouble() < resendShare) {
                json = sent.get(random.nextInt(sent.size()));
                resends++;
            } else {
                Instant time = start.plusMillis(i * 1000L / eventsPerSecond);
                String tenant = "tenant-" + random.nextInt(tenants);
                String[] series = SERIES[random.nextInt(SERIES.length)];
                BigDecimal quantity = BigDecimal.valueOf(random.nextInt(100_000_000), 6);
                ObjectNode event = Json.object();
                event.put("specversion", "1.0").put("id", "evt-" + i).put("source", "//nodes/node-" + random.nextInt(50))
                        .put("type", "compute.usage.v1").put("subject", tenant).put("time", time.toString());
                event.putObject("data").put("resource", series[0]).put("unit", series[1])
                        .put("quantity", quantity.toPlainString());
                json = event.toString();
                sent.add(json);
                expected.merge(tenant + "#MINUTE|" + MINUTE.format(time) + "#" + series[0] + "#" + series[1],
                        quantity, BigDecimal::add);
            }
            batch.add(new StreamRecord("shardId-000000000000", String.format("4959%036d", sequence++), "p",
                    start, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))));
            if (batch.size() == batchSize) {
                batches.add(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        this.events = totalRecords;
    }
}

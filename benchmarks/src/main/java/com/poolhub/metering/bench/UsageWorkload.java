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
 * A reproducible stream of usage records cut into Lambda-sized batches per shard: tenants × series
 * at a steady event rate, event time = arrival time, with a share of producer resends (an earlier
 * event sent again, on any shard). Records go round-robin over the shards, as a random partition key
 * spreads them. It also keeps the expected minute totals of the distinct events, to check exactness.
 */
final class UsageWorkload {
    private static final String[][] SERIES = {{"GPU", "compute_seconds"}, {"INFERENCE", "tokens"}, {"NETWORK", "gb"}};
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm':00Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * What to generate.
     *
     * @param batchSize       records per Lambda batch (per shard)
     * @param records         records in all
     * @param tenants         tenants, events spread evenly over them
     * @param series          series (resource and unit) per tenant, 1 to 3
     * @param eventsPerSecond stream rate, over all shards
     * @param shards          shards the records are spread over
     * @param resendShare     share of records that resend an earlier event
     */
    record Spec(int batchSize, int records, int tenants, int series, int eventsPerSecond, int shards,
                double resendShare) {
        /** Stream seconds each batch of one shard covers. */
        double secondsPerBatch() {
            return (double) batchSize * shards / eventsPerSecond;
        }
    }

    /** Batches of one shard, in order, with the stream second each one is delivered at. */
    record Shard(List<List<StreamRecord>> batches, List<Double> deliveredAt) {
    }

    final Spec spec;
    final List<Shard> shards = new ArrayList<>();
    final Map<String, BigDecimal> expected = new TreeMap<>();
    final int events;
    int resends;

    UsageWorkload(Spec spec, Instant start, long seed) {
        this.spec = spec;
        Random random = new Random(seed);
        List<String> sent = new ArrayList<>();
        List<List<StreamRecord>> open = new ArrayList<>();
        for (int s = 0; s < spec.shards(); s++) {
            shards.add(new Shard(new ArrayList<>(), new ArrayList<>()));
            open.add(new ArrayList<>());
        }
        long[] sequence = new long[spec.shards()];
        for (int i = 0; i < spec.records(); i++) {
            String json;
            if (!sent.isEmpty() && random.nextDouble() < spec.resendShare()) {
                json = sent.get(random.nextInt(sent.size()));
                resends++;
            } else {
                Instant time = start.plusMillis(i * 1000L / spec.eventsPerSecond());
                String tenant = "tenant-" + random.nextInt(spec.tenants());
                String[] series = SERIES[random.nextInt(spec.series())];
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
            int shard = i % spec.shards();
            List<StreamRecord> batch = open.get(shard);
            batch.add(new StreamRecord("shardId-" + shard, String.format("4959%036d", sequence[shard]++), "p",
                    start, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))));
            if (batch.size() == spec.batchSize()) {
                close(shard, batch, i);
                open.set(shard, new ArrayList<>());
            }
        }
        for (int shard = 0; shard < spec.shards(); shard++) {
            if (!open.get(shard).isEmpty()) {
                close(shard, open.get(shard), spec.records());
            }
        }
        this.events = spec.records();
    }

    private void close(int shard, List<StreamRecord> batch, int lastIndex) {
        shards.get(shard).batches().add(batch);
        shards.get(shard).deliveredAt().add((double) lastIndex / spec.eventsPerSecond());
    }

    /** Every batch of every shard, in delivery order. */
    List<List<StreamRecord>> allBatches() {
        List<Object[]> timed = new ArrayList<>();
        for (Shard shard : shards) {
            for (int b = 0; b < shard.batches().size(); b++) {
                timed.add(new Object[] {shard.deliveredAt().get(b), shard.batches().get(b)});
            }
        }
        timed.sort((a, b) -> Double.compare((Double) a[0], (Double) b[0]));
        List<List<StreamRecord>> ordered = new ArrayList<>();
        for (Object[] entry : timed) {
            @SuppressWarnings("unchecked") List<StreamRecord> batch = (List<StreamRecord>) entry[1];
            ordered.add(batch);
        }
        return ordered;
    }

    double streamSeconds() {
        return (double) events / spec.eventsPerSecond();
    }
}

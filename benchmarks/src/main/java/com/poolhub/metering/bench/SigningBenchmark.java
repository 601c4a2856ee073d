package com.poolhub.metering.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.signing.EventSignature;
import com.poolhub.metering.signing.ProducerKeys;
import com.poolhub.metering.signing.SignatureCheck;
import com.poolhub.metering.signing.SigningKeyCache;
import com.poolhub.metering.usage.UsageAggregation;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageEventDecoder;
import com.poolhub.metering.usage.UsageKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Signature verification at ingest: the usage pipeline's own work (read, verify, validate, key and
 * fold; the store counts in memory, so the figures are the handler's CPU, not DynamoDB's) on 1-second
 * batches of 2,000 signed events, with and without verification, in the same run: events per second
 * and CPU per 1,000 events, for one producer, 1,000 producers (one key read each per cache TTL) and
 * four containers at once. Each row pair is measured twice, alternating, after a warm-up pass.
 */
final class SigningBenchmark {
    private static final int BATCH = 2_000;
    private static final int EVENTS_PER_RECORD = 10;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private SigningBenchmark() {
    }

    /** Counts events in memory, so the batch's compute is what is measured. */
    private static final class MemoryStore implements ExactlyOnceStore<UsageEvent, UsageKey> {
        @Override
        public ApplyOutcome<UsageKey, UsageEvent> apply(Map<UsageKey, List<UsageEvent>> eventsByKey) {
            long events = eventsByKey.values().stream().mapToLong(List::size).sum();
            return new ApplyOutcome<>(events, 0, Map.of());
        }
    }

    private static final class NoRejects implements RejectStore {
        @Override
        public List<RejectedRecord> save(List<RejectedRecord> rejects) {
            return List.of();
        }

        @Override
        public Page list(String stream, LocalDate day, int limit, String nextToken) {
            return new Page(List.of(), null);
        }

        @Override
        public void resolve(RejectedRecord reject, Instant resolvedAt) {
        }
    }

    private record Row(String name, int producers, int callers) {
    }

    static void run(double scale) throws Exception {
        int batches = Math.max(5, (int) (50 * scale));
        Clock clock = Clock.systemUTC();
        System.out.printf("%nsigning: usage pipeline compute, %d batches of %,d signed events (1-s batches), in-memory store%n",
                batches, BATCH);
        System.out.printf("%-28s %-12s %12s %12s %8s%n", "row", "verify", "events/s", "CPU/1k", "counted");
        for (Row row : List.of(new Row("one producer", 1, 1), new Row("1,000 producers", 1_000, 1),
                new Row("4 containers, 100 producers", 100, 4))) {
            Map<String, ProducerKeys> keys = new HashMap<>();
            for (int p = 0; p < row.producers(); p++) {
                String id = "producer-" + p;
                keys.put(id, ProducerKeys.none(id).issue(clock.instant()));
            }
            List<List<StreamRecord>> work = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                work.add(batch(b, keys, clock.instant()));
            }
            for (boolean verify : new boolean[] {false, true, false, true}) {
                measure(row, verify, work, keys, clock);
            }
        }
    }

    private static void measure(Row row, boolean verify, List<List<StreamRecord>> work, Map<String, ProducerKeys> keys,
                                Clock clock) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(row.callers());
        List<Future<long[]>> results = new ArrayList<>();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(row.callers() + 1);
        for (int c = 0; c < row.callers(); c++) {
            results.add(callers.submit(() -> {
                IngestPipeline<UsageEvent, UsageKey> pipeline = new IngestPipeline<>("usage-events", new UsageEventDecoder(),
                        EventTimePolicy.defaults(clock), new UsageAggregation(), new MemoryStore(), new NoRejects());
                if (verify) {
                    pipeline = pipeline.withSignatures(new SignatureCheck(new SigningKeyCache(id -> keys.getOrDefault(id,
                            ProducerKeys.none(id)), clock, Duration.ofMinutes(5), SigningKeyCache.DEFAULT_MAX_PRODUCERS), true));
                }
                for (List<StreamRecord> batch : work) {
                    pipeline.process(batch); // warm-up (JIT, key cache), not counted
                }
                start.await();
                long cpu = CPU.getCurrentThreadCpuTime();
                long counted = 0;
                for (List<StreamRecord> batch : work) {
                    IngestReport report = pipeline.process(batch);
                    counted += report.eventsApplied();
                }
                return new long[] {CPU.getCurrentThreadCpuTime() - cpu, counted};
            }));
        }
        start.await();
        long began = System.nanoTime();
        long cpuNanos = 0;
        long counted = 0;
        for (Future<long[]> result : results) {
            cpuNanos += result.get()[0];
            counted += result.get()[1];
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        callers.shutdown();
        long events = (long) BATCH * work.size() * row.callers();
        System.out.printf("%-28s %-12s %,12.0f %9.0f us %8s%n", row.name(), verify ? "on" : "off", events / seconds,
                cpuNanos / 1e3 / (events / 1_000.0), counted == events ? "all" : counted + "/" + events);
    }

    private static List<StreamRecord> batch(int b, Map<String, ProducerKeys> keys, Instant now) {
        List<String> producers = new ArrayList<>(keys.keySet());
        List<StreamRecord> records = new ArrayList<>();
        for (int r = 0; r < BATCH / EVENTS_PER_RECORD; r++) {
            ArrayNode events = Json.mapper().createArrayNode();
            for (int e = 0; e < EVENTS_PER_RECORD; e++) {
                int n = r * EVENTS_PER_RECORD + e;
                ObjectNode event = Json.object();
                event.put("specversion", "1.0").put("id", "b" + b + "-" + n).put("source", "//nodes/gpu-node-" + (n % 50))
                        .put("type", "compute.usage.v1").put("subject", "tenant-" + (n % 200))
                        .put("time", now.minusSeconds(n % 60).toString());
                event.putObject("data").put("resource", "GPU").put("unit", "compute_seconds").put("quantity", "1.25");
                events.add(EventSignature.signed(event, keys.get(producers.get(n % producers.size())).newest()));
            }
            records.add(new StreamRecord("shardId-000000000000", Integer.toString(b * 1_000 + r), "pk", now,
                    ByteBuffer.wrap(events.toString().getBytes(StandardCharsets.UTF_8))));
        }
        return records;
    }
}

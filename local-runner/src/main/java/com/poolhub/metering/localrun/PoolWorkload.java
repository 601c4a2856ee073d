package com.poolhub.metering.localrun;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded GPU pool over simulated hours: miners with GPU counts send heartbeats each interval
 * (none during an outage), tenants' jobs are matched to miners that are up (slow miners accept them
 * slowly, flaky miners fail some), and each finished job is metered as GPU compute seconds (and
 * tokens for inference tenants). Produces the CloudEvents the contract defines, hour by hour.
 */
public final class PoolWorkload {
    /** One miner of the pool. */
    public record Miner(String id, int gpus, boolean slow, boolean flaky, int outageStartHour, int outageHours) {
        boolean up(int hour) {
            return hour < outageStartHour || hour >= outageStartHour + outageHours;
        }
    }

    /** The events of one simulated hour. */
    public record Hour(Instant start, List<ObjectNode> usage, List<ObjectNode> telemetry, int jobs, int failedJobs) {
    }

    private final Random random;
    private final List<Miner> miners = new ArrayList<>();
    private final List<String> tenants = new ArrayList<>();
    private final Instant start;
    private final Duration heartbeat;
    private long ids;

    public PoolWorkload(long seed, int minerCount, int tenantCount, Instant start, Duration heartbeat) {
        this.random = new Random(seed);
        // start on the heartbeat grid, so that each beat (sent 0-4 s into its interval) lands in its
        // own bucket whatever the wall-clock second the simulation starts at
        long interval = heartbeat.toSeconds();
        this.start = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond() + interval - 1, interval) * interval);
        this.heartbeat = heartbeat;
        for (int i = 1; i <= minerCount; i++) {
            boolean outage = i % 5 == 2;
            miners.add(new Miner(String.format("gpu-node-%02d", i), 2 + random.nextInt(7), i % 6 == 3, i % 4 == 0,
                    outage ? 3 + random.nextInt(6) : Integer.MAX_VALUE, outage ? 2 + random.nextInt(4) : 0));
        }
        String[] names = {"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"};
        for (int i = 0; i < tenantCount; i++) {
            tenants.add(i < names.length ? names[i] : "tenant-" + (i + 1));
        }
    }

    public List<Miner> miners() {
        return miners;
    }

    public List<String> tenants() {
        return tenants;
    }

    public Instant start() {
        return start;
    }

    /** The events of hour {@code index} (0-based) from the start. */
    public Hour hour(int index) {
        Instant hourStart = start.plus(Duration.ofHours(index));
        List<ObjectNode> usage = new ArrayList<>();
        List<ObjectNode> telemetry = new ArrayList<>();
        long beats = Duration.ofHours(1).dividedBy(heartbeat);
        for (Miner miner : miners) {
            if (!miner.up(index)) {
                continue;
            }
            for (long b = 0; b < beats; b++) {
                Instant at = hourStart.plus(heartbeat.multipliedBy(b)).plusSeconds(random.nextInt(5));
                int busy = random.nextInt(miner.gpus() + 1);
                ObjectNode data = Json.object().put("status", busy == miner.gpus() ? "BUSY" : "ONLINE")
                        .put("gpus", miner.gpus()).put("gpusFree", miner.gpus() - busy);
                data.put("gpuModel", "H100").put("region", "eu-west-1");
                telemetry.add(event("miner.heartbeat.v1", miner.id(), at, data));
            }
        }
        List<Miner> up = miners.stream().filter(m -> m.up(index)).toList();
        double diurnal = 0.6 + 0.4 * Math.sin(Math.PI * ((hourStart.atZone(java.time.ZoneOffset.UTC).getHour() + 18) % 24) / 12.0);
        int jobs = 0;
        int failed = 0;
        for (int t = 0; t < tenants.size() && !up.isEmpty(); t++) {
            String tenant = tenants.get(t);
            int count = Math.max(1, (int) Math.round((4 + 3 * (tenants.size() - t)) * diurnal));
            for (int j = 0; j < count; j++) {
                Miner miner = up.get(random.nextInt(up.size()));
                Instant at = hourStart.plusSeconds(random.nextInt(3500));
                String jobId = "job-" + (++ids);
                long response = miner.slow() ? 1200 + random.nextInt(1800) : 40 + random.nextInt(400);
                telemetry.add(event("miner.match.v1", miner.id(), at, Json.object().put("jobId", jobId).put("responseMs", response)));
                boolean fails = random.nextInt(100) < (miner.flaky() ? 25 : 2);
                long durationMs = 30_000 + random.nextInt(600_000);
                Instant last = hourStart.plusSeconds(3599);
                Instant done = at.plusMillis(durationMs).isBefore(last) ? at.plusMillis(durationMs) : last;
                telemetry.add(event("miner.job.v1", miner.id(), done, Json.object().put("jobId", jobId)
                        .put("outcome", fails ? (random.nextBoolean() ? "FAILED" : "TIMED_OUT") : "SUCCEEDED")
                        .put("durationMs", durationMs).put("tenant", tenant)));
                jobs++;
                if (fails) {
                    failed++;
                    continue;
                }
                int gpus = 1 + random.nextInt(Math.min(4, miner.gpus()));
                BigDecimal seconds = BigDecimal.valueOf(durationMs).multiply(BigDecimal.valueOf(gpus))
                        .divide(BigDecimal.valueOf(1000), 3, RoundingMode.HALF_EVEN);
                usage.add(usageEvent(miner, tenant, done, "GPU", "compute_seconds", seconds));
                if (t % 2 == 1) {
                    usage.add(usageEvent(miner, tenant, at, "INFERENCE", "tokens", BigDecimal.valueOf(2_000 + random.nextInt(50_000))));
                }
                if (t % 3 == 0) {
                    usage.add(usageEvent(miner, tenant, at, "MEMORY", "gb_hours",
                            BigDecimal.valueOf(durationMs).divide(BigDecimal.valueOf(3_600_000), 6, RoundingMode.HALF_EVEN)
                                    .multiply(BigDecimal.valueOf(16))));
                }
            }
        }
        return new Hour(hourStart, usage, telemetry, jobs, failed);
    }

    private ObjectNode usageEvent(Miner miner, String tenant, Instant at, String resource, String unit, BigDecimal quantity) {
        ObjectNode data = Json.object().put("resource", resource).put("unit", unit).put("quantity", quantity.toPlainString())
                .put("minerId", miner.id()).put("accelerator", "CUDA");
        return event("compute.usage.v1", tenant, at, data).put("source", "//nodes/" + miner.id());
    }

    private ObjectNode event(String type, String subject, Instant time, ObjectNode data) {
        ObjectNode event = Json.object();
        event.put("specversion", "1.0").put("id", "sim-" + (++ids)).put("source", "//nodes/" + subject)
                .put("type", type).put("subject", subject).put("time", time.truncatedTo(ChronoUnit.MILLIS).toString());
        event.set("data", data);
        return event;
    }
}

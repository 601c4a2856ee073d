package com.poolhub.metering.sla.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.testing.TelemetryEventJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small scripted pool for SLA tests: a steady miner whose history starts before the window and
 * whose GPU count changes, a miner with heartbeat gaps, slow matches and failed jobs that joins
 * mid-window, a miner that goes OFFLINE, a miner last heard of before the window, and a miner with
 * matches and jobs but no heartbeats. Events are also kept as plain records for the oracle.
 */
final class ScriptedPool {
    /** A scripted event in plain terms, for the oracle. */
    record Raw(String type, String miner, Instant time, String status, int gpus, int gpusFree, long responseMicros,
               String outcome) {
    }

    final List<ObjectNode> events = new ArrayList<>();
    final List<Raw> raw = new ArrayList<>();
    private final Random random = new Random(42);
    private int ids;

    ScriptedPool(Instant windowStart, Instant windowEnd) {
        Instant historyStart = windowStart.minus(Duration.ofHours(6));
        // steady: 4 GPUs, 5 from 2 h into the window on; one missed minute an hour; second heartbeat in some buckets
        for (Instant t = historyStart.plusSeconds(7); t.isBefore(windowEnd); t = t.plusSeconds(60)) {
            if (t.getEpochSecond() / 60 % 60 == 13) {
                continue;
            }
            int gpus = t.isBefore(windowStart.plus(Duration.ofHours(2)).plusSeconds(1800)) ? 4 : 5;
            heartbeat("steady", t, random.nextInt(10) == 0 ? "BUSY" : "ONLINE", gpus, random.nextInt(gpus + 1));
            if (random.nextInt(20) == 0) {
                heartbeat("steady", t.plusSeconds(30), "OFFLINE", gpus, gpus);
            }
        }
        for (int i = 0; i < 300; i++) {
            Instant t = windowStart.plusSeconds(random.nextInt((int) Duration.between(windowStart, windowEnd).toSeconds()));
            match("steady", t, 50 + random.nextInt(400) + "." + random.nextInt(10));
            job("steady", t.plusSeconds(5), random.nextInt(50) == 0 ? "FAILED" : "SUCCEEDED");
        }
        // flaky: joins 8h17m30s into the window with 8 GPUs, 6 later; 15 % of minutes missing; slow; failing jobs
        for (Instant t = windowStart.plus(Duration.ofMinutes(8 * 60 + 17)).plusSeconds(30); t.isBefore(windowEnd);
             t = t.plusSeconds(60)) {
            if (random.nextInt(100) < 15) {
                continue;
            }
            int gpus = t.isBefore(windowStart.plus(Duration.ofHours(15))) ? 8 : 6;
            heartbeat("flaky", t, "ONLINE", gpus, random.nextInt(gpus + 1));
        }
        for (int i = 0; i < 120; i++) {
            Instant t = windowStart.plus(Duration.ofHours(9)).plusSeconds(random.nextInt(14 * 3600));
            match("flaky", t, Integer.toString(800 + random.nextInt(2500)));
            String outcome = switch (random.nextInt(10)) {
                case 0, 1 -> "FAILED";
                case 2 -> "TIMED_OUT";
                default -> "SUCCEEDED";
            };
            job("flaky", t.plusSeconds(3), outcome);
        }
        // leaving: 2 GPUs, OFFLINE from 18 h into the window for an hour, then silent
        for (Instant t = historyStart.plusSeconds(42); t.isBefore(windowStart.plus(Duration.ofHours(19))); t = t.plusSeconds(60)) {
            boolean offline = !t.isBefore(windowStart.plus(Duration.ofHours(18)));
            heartbeat("leaving", t, offline ? "OFFLINE" : "DRAINING", 2, offline ? 2 : 1);
        }
        // gone: last heard of 5 hours before the window, with 16 GPUs
        for (Instant t = historyStart.minus(Duration.ofHours(3)); t.isBefore(windowStart.minus(Duration.ofHours(5)));
             t = t.plusSeconds(60)) {
            heartbeat("gone", t.plusSeconds(11), "ONLINE", 16, 3);
        }
        // matcher: matches and jobs only
        for (int i = 0; i < 40; i++) {
            Instant t = windowStart.plusSeconds(random.nextInt(20 * 3600));
            match("matcher", t, Integer.toString(random.nextInt(900)));
            job("matcher", t.plusSeconds(1), "SUCCEEDED");
        }
    }

    private String id() {
        return "evt-" + ids++;
    }

    private void heartbeat(String miner, Instant t, String status, int gpus, int free) {
        events.add(TelemetryEventJson.heartbeat(id(), miner, t, status, gpus, free));
        raw.add(new Raw("hb", miner, t, status, gpus, free, 0, null));
    }

    private void match(String miner, Instant t, String ms) {
        events.add(TelemetryEventJson.match(id(), miner, t, "job-" + ids, ms));
        raw.add(new Raw("match", miner, t, null, 0, 0, new java.math.BigDecimal(ms).movePointRight(3).longValueExact(), null));
    }

    private void job(String miner, Instant t, String outcome) {
        events.add(TelemetryEventJson.job(id(), miner, t, "job-" + ids, outcome));
        raw.add(new Raw("job", miner, t, null, 0, 0, 0, outcome));
    }
}

package com.poolhub.metering.sla.function;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CONTRACT §2 computed the slow, obvious way over the raw scripted events, independently of the
 * production code, for whole-hour windows.
 */
final class NaiveSlaOracle {
    private final List<ScriptedPool.Raw> events;
    private final long interval;
    private final long sb;
    private final long eb;
    private final Instant start;
    private final Instant end;

    NaiveSlaOracle(List<ScriptedPool.Raw> events, int intervalSeconds, Instant start, Instant end) {
        this.events = events;
        this.interval = intervalSeconds;
        this.start = start;
        this.end = end;
        this.sb = start.getEpochSecond() / interval;
        this.eb = end.getEpochSecond() / interval;
    }

    private long bucket(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), interval);
    }

    private final java.util.Map<String, List<ScriptedPool.Raw>> byMinerAndType = new java.util.HashMap<>();

    private List<ScriptedPool.Raw> of(String miner, String type) {
        return byMinerAndType.computeIfAbsent(miner + "/" + type, k ->
                events.stream().filter(e -> e.miner().equals(miner) && e.type().equals(type)).toList());
    }

    private long firstBucket(String miner) {
        return of(miner, "hb").stream().mapToLong(e -> bucket(e.time())).min().orElse(Long.MAX_VALUE);
    }

    private boolean up(String miner, long b) {
        return of(miner, "hb").stream().anyMatch(e -> bucket(e.time()) == b && !e.status().equals("OFFLINE"));
    }

    /** The latest heartbeat at or before bucket b, or null. */
    private ScriptedPool.Raw latestAtOrBefore(List<ScriptedPool.Raw> heartbeats, long b) {
        ScriptedPool.Raw latest = null;
        for (ScriptedPool.Raw e : heartbeats) {
            if (bucket(e.time()) <= b && (latest == null || e.time().isAfter(latest.time()))) {
                latest = e;
            }
        }
        return latest;
    }

    BigDecimal uptime(String miner) {
        long from = Math.max(sb, firstBucket(miner));
        if (from >= eb) {
            return null;
        }
        long up = 0;
        for (long b = from; b < eb; b++) {
            if (up(miner, b)) {
                up++;
            }
        }
        return pct(up, eb - from);
    }

    private List<Long> responses(String miner) {
        List<Long> values = new ArrayList<>();
        for (ScriptedPool.Raw e : of(miner, "match")) {
            if (!e.time().isBefore(start) && e.time().isBefore(end)) {
                values.add(e.responseMicros());
            }
        }
        values.sort(Long::compare);
        return values;
    }

    BigDecimal meanMs(String miner) {
        List<Long> values = responses(miner);
        if (values.isEmpty()) {
            return null;
        }
        long sum = values.stream().mapToLong(Long::longValue).sum();
        return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(values.size() * 1000L), 3, RoundingMode.HALF_EVEN);
    }

    BigDecimal percentileMs(String miner, int p) {
        List<Long> values = responses(miner);
        if (values.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * values.size());
        return BigDecimal.valueOf(values.get(rank - 1)).movePointLeft(3).setScale(3);
    }

    BigDecimal completion(String miner) {
        long ok = 0;
        long all = 0;
        for (ScriptedPool.Raw e : of(miner, "job")) {
            if (!e.time().isBefore(start) && e.time().isBefore(end)) {
                all++;
                if (e.outcome().equals("SUCCEEDED")) {
                    ok++;
                }
            }
        }
        return all == 0 ? null : pct(ok, all);
    }

    BigDecimal capacity(List<String> miners) {
        long upGpus = 0;
        long knownGpus = 0;
        for (String miner : miners) {
            List<ScriptedPool.Raw> heartbeats = of(miner, "hb");
            for (long b = Math.max(sb, firstBucket(miner)); b < eb; b++) {
                ScriptedPool.Raw latest = latestAtOrBefore(heartbeats, b);
                knownGpus += latest.gpus();
                if (up(miner, b)) {
                    upGpus += latest.gpus();
                }
            }
        }
        return pct(upGpus, knownGpus);
    }

    BigDecimal utilisation(List<String> miners) {
        long used = 0;
        long gpus = 0;
        for (String miner : miners) {
            if (up(miner, eb - 1)) {
                ScriptedPool.Raw latest = latestAtOrBefore(of(miner, "hb"), eb - 1);
                used += latest.gpus() - latest.gpusFree();
                gpus += latest.gpus();
            }
        }
        return pct(used, gpus);
    }

    private static BigDecimal pct(long part, long whole) {
        return whole == 0 ? null : new BigDecimal(part * 100).divide(new BigDecimal(whole), 3, RoundingMode.HALF_EVEN);
    }
}

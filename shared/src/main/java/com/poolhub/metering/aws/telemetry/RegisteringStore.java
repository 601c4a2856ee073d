package com.poolhub.metering.aws.telemetry;

import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.TelemetryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Records each miner of a batch in the {@link MinerRegistry} before its hours are counted. Registry
 * writes only move times earlier, so repeating them on redelivery is harmless; a miner whose registry
 * write fails has none of its hours applied and all of them reported failed, so Lambda retries them
 * and the registry never misses a miner whose telemetry was counted.
 */
public final class RegisteringStore implements ExactlyOnceStore<TelemetryEvent, MinerHourKey> {
    private final MinerRegistry registry;
    private final ExactlyOnceStore<TelemetryEvent, MinerHourKey> hours;
    private final ExecutorService writers;

    public RegisteringStore(MinerRegistry registry, ExactlyOnceStore<TelemetryEvent, MinerHourKey> hours,
                            ExecutorService writers) {
        this.registry = registry;
        this.hours = hours;
        this.writers = writers;
    }

    @Override
    public ApplyOutcome<MinerHourKey, TelemetryEvent> apply(Map<MinerHourKey, List<TelemetryEvent>> eventsByKey) {
        Map<String, Instant[]> earliest = new HashMap<>();
        eventsByKey.forEach((key, events) -> {
            Instant[] times = earliest.computeIfAbsent(key.minerId(), m -> new Instant[2]);
            for (TelemetryEvent event : events) {
                times[0] = min(times[0], event.time());
                if (event instanceof TelemetryEvent.Heartbeat) {
                    times[1] = min(times[1], event.time());
                }
            }
        });
        Map<String, Exception> unregistered = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        earliest.forEach((miner, times) -> writes.add(CompletableFuture.runAsync(() -> {
            try {
                registry.record(miner, times[0], times[1]);
            } catch (SdkException e) {
                unregistered.put(miner, e);
            }
        }, writers)));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

        Map<MinerHourKey, List<TelemetryEvent>> registered = new LinkedHashMap<>();
        Map<MinerHourKey, Exception> failed = new HashMap<>();
        eventsByKey.forEach((key, events) -> {
            Exception cause = unregistered.get(key.minerId());
            if (cause == null) {
                registered.put(key, events);
            } else {
                failed.put(key, cause);
            }
        });
        if (registered.isEmpty()) {
            return new ApplyOutcome<>(0, 0, failed);
        }
        ApplyOutcome<MinerHourKey, TelemetryEvent> outcome = hours.apply(registered);
        failed.putAll(outcome.failedKeys());
        return new ApplyOutcome<>(outcome.applied(), outcome.duplicates(), failed);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}

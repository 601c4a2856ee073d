package com.poolhub.metering.hardening.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs independent fault scenarios (each on tables of its own) on a few threads, so one scenario's
 * client work overlaps another's wait on the emulator. Every scenario runs to its end; the first
 * failure in the order given is rethrown as it was (an assertion stays an assertion).
 */
public final class InParallel {
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private InParallel() {
    }

    /** Runs {@code scenario} for each value and waits for all of them. */
    public static <T> void forEach(List<T> values, Consumer<T> scenario) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (T value : values) {
                runs.add(pool.submit(() -> scenario.accept(value)));
            }
            Throwable first = null;
            for (Future<?> run : runs) {
                try {
                    run.get();
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the scenarios ran", e);
                }
            }
            if (first instanceof Error error) {
                throw error;
            }
            if (first instanceof RuntimeException runtime) {
                throw runtime;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

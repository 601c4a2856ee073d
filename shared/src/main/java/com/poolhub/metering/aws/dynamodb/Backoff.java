package com.poolhub.metering.aws.dynamodb;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter for retries of batch leftovers: 25 ms base, 2 s cap. */
public final class Backoff {
    private Backoff() {
    }

    /** Sleeps before retry number {@code attempt} (1 for the first retry). */
    public static void sleep(int attempt) {
        long cap = Math.min(2_000L, 25L << Math.min(attempt, 16));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during backoff", e);
        }
    }
}

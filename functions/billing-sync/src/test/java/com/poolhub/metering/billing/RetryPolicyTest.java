package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void ceiling_doublesPerRetryUpToTheCap() {
        assertEquals(Duration.ofMillis(200), policy.ceiling(1));
        assertEquals(Duration.ofMillis(400), policy.ceiling(2));
        assertEquals(Duration.ofMillis(800), policy.ceiling(3));
        assertEquals(Duration.ofSeconds(1), policy.ceiling(4));
        assertEquals(Duration.ofSeconds(1), policy.ceiling(60));
    }

    @Test
    void delay_isJitteredWithinZeroAndTheCeiling() {
        SplittableRandom random = new SplittableRandom(1);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration delay = policy.delay(2, random);
            assertTrue(!delay.isNegative() && delay.compareTo(Duration.ofMillis(400)) <= 0, delay.toString());
            seen.add(delay);
        }
        assertTrue(seen.size() > 50, "waits are spread, not fixed");
    }

    @Test
    void constructor_refusesNoAttemptsOrACapBelowTheBase() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}

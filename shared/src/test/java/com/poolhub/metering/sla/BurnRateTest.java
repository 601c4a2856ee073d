package com.poolhub.metering.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.config.Env;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BurnRateTest {
    static final BigDecimal NINETY_NINE = new BigDecimal("99");

    @Test
    void burnRate_isTheBadShareOverTheAllowedShare() {
        assertEquals(new BigDecimal("1.000"), new SliCount(9_900, 10_000).burnRate(NINETY_NINE));
        assertEquals(new BigDecimal("14.400"), new SliCount(856, 1_000).burnRate(NINETY_NINE));
        assertEquals(new BigDecimal("0.000"), new SliCount(60, 60).burnRate(NINETY_NINE));
        assertNull(new SliCount(0, 0).burnRate(NINETY_NINE), "no events, no rate");
    }

    @Test
    void burnsAtLeast_isDecidedExactly_atTheFactor() {
        // 14.4 × 1 % = 14.4 % bad: 144 of 1000 is exactly at the factor, 143 is under
        assertTrue(new SliCount(856, 1_000).burnsAtLeast(new BigDecimal("14.4"), NINETY_NINE));
        assertFalse(new SliCount(857, 1_000).burnsAtLeast(new BigDecimal("14.4"), NINETY_NINE));
        // 1 bad of 300 at a 99.67 % target: a rate of 100/99 = 1.0101
        assertTrue(new SliCount(299, 300).burnsAtLeast(BigDecimal.ONE, new BigDecimal("99.67")));
        assertFalse(new SliCount(299, 300).burnsAtLeast(new BigDecimal("1.011"), new BigDecimal("99.67")));
        assertFalse(new SliCount(0, 0).burnsAtLeast(BigDecimal.ONE, NINETY_NINE), "no events never fire");
    }

    @Test
    void errorBudget_isWhatTheTargetAllows_andGoesNegativeWhenOverspent() {
        SlaWindow period = new SlaWindow(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
        ErrorBudget half = ErrorBudget.of(SlaMetric.UPTIME, NINETY_NINE, period, new SliCount(43_200 - 216, 43_200));
        assertEquals(0, half.allowedBad().compareTo(new BigDecimal("432")));
        assertEquals(0, half.remainingBad().compareTo(new BigDecimal("216")));
        assertEquals(new BigDecimal("50.000"), half.remainingPct());
        assertEquals(new BigDecimal("0.500"), half.burnRate());

        ErrorBudget over = ErrorBudget.of(SlaMetric.COMPLETION_RATE, new BigDecimal("95"), period, new SliCount(180, 200));
        assertEquals(0, over.allowedBad().compareTo(BigDecimal.TEN));
        assertEquals(0, over.remainingBad().compareTo(BigDecimal.TEN.negate()));
        assertEquals(new BigDecimal("-100.000"), over.remainingPct());

        ErrorBudget none = ErrorBudget.of(SlaMetric.COMPLETION_RATE, new BigDecimal("95"), period, new SliCount(0, 0));
        assertNull(none.remainingPct(), "no jobs: no budget to speak of");
        assertNull(none.burnRate());
    }

    @Test
    void sloSettings_acceptOnly28Or30Days_andTargetsInsideTheRange() {
        assertEquals(SloSettings.DEFAULTS, SloSettings.fromEnv(new Env(Map.of())));
        assertEquals(28, SloSettings.fromEnv(new Env(Map.of("SLO_PERIOD_DAYS", "28"))).periodDays());
        assertThrows(IllegalArgumentException.class, () -> SloSettings.fromEnv(new Env(Map.of("SLO_PERIOD_DAYS", "31"))));
        assertThrows(IllegalArgumentException.class, () -> SloSettings.fromEnv(new Env(Map.of("SLO_UPTIME_TARGET_PCT", "100"))));
        assertThrows(IllegalArgumentException.class, () -> SloSettings.fromEnv(new Env(Map.of("SLO_COMPLETION_TARGET_PCT", "0"))));
    }

    @Test
    void rules_areTheWorkbooksThree() {
        assertEquals("14.4", BurnRateRule.PAGE_FAST.factor().toPlainString());
        assertEquals(java.time.Duration.ofHours(1), BurnRateRule.PAGE_FAST.longWindow());
        assertEquals(java.time.Duration.ofMinutes(5), BurnRateRule.PAGE_FAST.shortWindow());
        assertEquals("6", BurnRateRule.PAGE_SLOW.factor().toPlainString());
        assertEquals(java.time.Duration.ofHours(6), BurnRateRule.PAGE_SLOW.longWindow());
        assertEquals(java.time.Duration.ofMinutes(30), BurnRateRule.PAGE_SLOW.shortWindow());
        assertEquals("1", BurnRateRule.TICKET.factor().toPlainString());
        assertEquals(java.time.Duration.ofDays(3), BurnRateRule.TICKET.longWindow());
        assertEquals(java.time.Duration.ofHours(6), BurnRateRule.TICKET.shortWindow());
        assertEquals(BurnRateRule.Severity.TICKET, BurnRateRule.TICKET.severity());
    }
}

package com.poolhub.metering.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotaStandingTest {
    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

    private static QuotaLimit quota(String limit, String pct, boolean hard) {
        return new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY, new BigDecimal(limit),
                new BigDecimal(pct), hard);
    }

    private static QuotaStanding standing(QuotaLimit quota, String used, String requested) {
        return new QuotaStanding(quota, new BigDecimal(used), new BigDecimal(requested), START,
                QuotaPeriod.DAY.resetAt(START));
    }

    @Test
    void status_followsTheUseTheRequestWouldLeadTo() {
        QuotaLimit hard = quota("100", "80", true);
        assertEquals(QuotaStatus.AVAILABLE, standing(hard, "70", "9.999999999").status());
        assertEquals(QuotaStatus.WARNING, standing(hard, "70", "10").status());
        assertEquals(QuotaStatus.WARNING, standing(hard, "70", "30").status());
        assertEquals(QuotaStatus.EXCEEDED, standing(hard, "70", "30.000000001").status());
    }

    @Test
    void allowed_hardLimitRefusesBeyondTheLimit_softOnlyNever() {
        assertTrue(standing(quota("100", "80", true), "70", "30").allowed());
        assertFalse(standing(quota("100", "80", true), "70", "30.5").allowed());
        QuotaStanding soft = standing(quota("100", "80", false), "170", "30.5");
        assertTrue(soft.allowed());
        assertEquals(QuotaStatus.EXCEEDED, soft.status());
        assertEquals(BigDecimal.ZERO, soft.remaining());
    }

    @Test
    void thresholds_softIsAnExactPercentageOfTheLimit() {
        QuotaLimit quota = quota("12.5", "33.3", true);
        assertEquals(new BigDecimal("4.1625"), quota.amountAt(Threshold.SOFT));
        assertEquals(List.of(), quota.reachedAt(new BigDecimal("4.1624")));
        assertEquals(List.of(Threshold.SOFT), quota.reachedAt(new BigDecimal("4.1625")));
        assertEquals(List.of(Threshold.SOFT, Threshold.LIMIT), quota.reachedAt(new BigDecimal("12.5")));
    }

    @Test
    void unannounced_leavesOutThresholdsAlreadyAnnouncedThisPeriod() {
        QuotaLimit quota = quota("100", "80", true);
        PeriodUse use = new PeriodUse(new BigDecimal("90"), Set.of(Threshold.SOFT));
        assertEquals(List.of(), use.unannounced(quota, new BigDecimal("90")));
        assertEquals(List.of(Threshold.LIMIT), use.unannounced(quota, new BigDecimal("100")));
    }

    @Test
    void bindsHarderThan_prefersRefusalThenWorseStatusThenLessRemaining() {
        QuotaStanding refusing = standing(quota("10", "80", true), "10", "1");
        QuotaStanding softExceeded = standing(quota("5", "80", false), "10", "1");
        QuotaStanding warning = standing(quota("100", "50", true), "60", "1");
        QuotaStanding roomy = standing(quota("1000", "80", true), "60", "1");
        assertTrue(refusing.bindsHarderThan(softExceeded));
        assertTrue(softExceeded.bindsHarderThan(warning));
        assertTrue(warning.bindsHarderThan(roomy));
        assertFalse(roomy.bindsHarderThan(warning));
    }

    @Test
    void quotaLimit_withUnitThatDoesNotApplyOrPctOutOfRange_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new QuotaLimit(Resource.NETWORK, UsageUnit.TOKENS,
                QuotaPeriod.DAY, BigDecimal.ONE, BigDecimal.TEN, true));
        assertThrows(IllegalArgumentException.class, () -> quota("10", "100.5", true));
        assertThrows(IllegalArgumentException.class, () -> quota("10", "-1", true));
        assertThrows(IllegalArgumentException.class, () -> quota("-10", "80", true));
    }
}

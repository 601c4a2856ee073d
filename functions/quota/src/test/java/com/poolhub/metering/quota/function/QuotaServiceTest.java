package com.poolhub.metering.quota.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaEvents;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuotaServiceTest {
    private final QuotaFixture fx = new QuotaFixture();

    private static QuotaLimit gpu(QuotaPeriod period, String limit, String pct, boolean hard) {
        return new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, period, new BigDecimal(limit), new BigDecimal(pct), hard);
    }

    private Consumption consume(String amount) {
        return fx.service.consume("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, new BigDecimal(amount));
    }

    private BigDecimal used(QuotaLimit quota, Instant t) {
        return fx.store.use(List.of(PeriodKey.of("acme", quota, t))).values().iterator().next().used();
    }

    @Test
    void consume_afterThePeriodResets_countsFromZeroInANewPeriod() {
        QuotaLimit day = gpu(QuotaPeriod.DAY, "10", "80", true);
        fx.service.setLimits("acme", day, Optional.empty());
        fx.clock.set(Instant.parse("2026-11-22T23:59:59.999Z"));
        assertEquals(Consumption.Outcome.GRANTED, consume("10").outcome());
        Consumption refused = consume("1");
        assertEquals(Consumption.Outcome.QUOTA_EXCEEDED, refused.outcome());
        assertEquals(Duration.ofMillis(1), refused.retryAfter());

        fx.clock.advance(Duration.ofMillis(1));
        Consumption next = consume("4");
        assertEquals(Consumption.Outcome.GRANTED, next.outcome());
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), next.binding().resetAt());
        assertEquals(0, BigDecimal.ZERO.compareTo(next.binding().used()));
        assertEquals(0, new BigDecimal("10").compareTo(used(day, Instant.parse("2026-11-22T12:00:00Z"))));
        assertEquals(0, new BigDecimal("4").compareTo(used(day, fx.clock.instant())));
    }

    @Test
    void consume_rateBucketRefillsWithTheClock() {
        fx.service.setLimits("acme", gpu(QuotaPeriod.HOUR, "1000", "80", true), Optional.of(Optional.of(new RateLimit(60, 2))));
        assertEquals(Consumption.Outcome.GRANTED, consume("1").outcome());
        assertEquals(Consumption.Outcome.GRANTED, consume("1").outcome());
        Consumption limited = consume("1");
        assertEquals(Consumption.Outcome.RATE_LIMITED, limited.outcome());
        assertEquals(Duration.ofSeconds(1), limited.retryAfter());
        fx.clock.advance(Duration.ofMillis(999));
        assertEquals(Consumption.Outcome.RATE_LIMITED, consume("1").outcome());
        fx.clock.advance(Duration.ofMillis(1));
        assertEquals(Consumption.Outcome.GRANTED, consume("1").outcome());
        fx.clock.advance(Duration.ofHours(1));
        assertEquals(2, fx.service.overview("acme").tokensNow());
    }

    @Test
    void consume_refusedByAHardQuota_takesNoRateToken() {
        fx.service.setLimits("acme", gpu(QuotaPeriod.DAY, "1", "80", true), Optional.of(Optional.of(new RateLimit(1, 3))));
        assertEquals(Consumption.Outcome.QUOTA_EXCEEDED, consume("2").outcome());
        assertEquals(3, fx.service.overview("acme").tokensNow());
        assertEquals(2, consume("1").tokensLeft());
    }

    @Test
    void consume_acrossHourAndDayQuotas_movesBothTogetherAndRefusesOnEither() {
        QuotaLimit hour = gpu(QuotaPeriod.HOUR, "5", "80", true);
        QuotaLimit day = gpu(QuotaPeriod.DAY, "8", "80", true);
        fx.service.setLimits("acme", hour, Optional.empty());
        fx.service.setLimits("acme", day, Optional.empty());
        assertEquals(Consumption.Outcome.GRANTED, consume("5").outcome());
        Consumption byHour = consume("1");
        assertEquals(Consumption.Outcome.QUOTA_EXCEEDED, byHour.outcome());
        assertEquals(QuotaPeriod.HOUR, byHour.binding().quota().period());
        fx.clock.advance(Duration.ofHours(1));
        assertEquals(Consumption.Outcome.GRANTED, consume("3").outcome());
        Consumption byDay = consume("1");
        assertEquals(QuotaPeriod.DAY, byDay.binding().quota().period());
        assertEquals(Duration.ofHours(11), byDay.retryAfter());
        assertEquals(0, new BigDecimal("8").compareTo(used(day, fx.clock.instant())));
        assertEquals(0, new BigDecimal("3").compareTo(used(hour, fx.clock.instant())));
    }

    @Test
    void consume_crossingTheSoftLimitAndTheLimit_announcesEachOncePerPeriod() {
        fx.service.setLimits("acme", gpu(QuotaPeriod.DAY, "10", "50", false), Optional.empty());
        consume("3");
        assertTrue(fx.publisher.published().isEmpty());
        consume("3");
        consume("1");
        consume("3");
        consume("5");
        var crossed = fx.publisher.published(QuotaEvents.THRESHOLD_CROSSED);
        assertEquals(List.of("SOFT", "LIMIT"), crossed.stream().map(e -> e.detail().get("threshold").asText()).toList());
        assertEquals("6", crossed.get(0).detail().get("used").asText());
        assertEquals("10", crossed.get(1).detail().get("used").asText());
        fx.clock.advance(Duration.ofDays(1));
        consume("6");
        assertEquals(3, fx.publisher.published(QuotaEvents.THRESHOLD_CROSSED).size());
        assertEquals("2026-11-23T00:00:00Z",
                fx.publisher.published(QuotaEvents.THRESHOLD_CROSSED).get(2).detail().get("periodStart").asText());
    }

    @Test
    void consume_whenAnnouncementFails_aLaterConsumeAnnouncesIt() {
        fx.service.setLimits("acme", gpu(QuotaPeriod.DAY, "10", "50", true), Optional.empty());
        fx.publisher.failNextCalls(1);
        assertEquals(Consumption.Outcome.GRANTED, consume("6").outcome());
        assertTrue(fx.publisher.published().isEmpty());
        consume("0.5");
        assertEquals(1, fx.publisher.published(QuotaEvents.THRESHOLD_CROSSED).size());
        consume("0.5");
        assertEquals(1, fx.publisher.published(QuotaEvents.THRESHOLD_CROSSED).size());
    }

    @Test
    void requests_aCheckIsOneGetItem_aConsumeOneUpdateItem_evenWithPeriodsAndARateLimit() {
        fx.service.setLimits("acme", gpu(QuotaPeriod.DAY, "1000", "80", true), Optional.empty());
        fx.meter.reset();
        fx.service.check("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, BigDecimal.ONE);
        assertEquals(Map.of("GetItem", 1L), fx.meter.requests());

        fx.meter.reset();
        consume("1");
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.requests());
        assertEquals(Map.of(), fx.meter.conditionFailures());

        fx.service.setLimits("acme", gpu(QuotaPeriod.HOUR, "1000", "80", true), Optional.empty());
        fx.service.setLimits("acme", gpu(QuotaPeriod.MONTH, "1000", "80", false), Optional.of(Optional.of(new RateLimit(600, 100))));
        fx.meter.reset();
        consume("1");
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.requests());
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.conditionFailures(),
                "the settings changed since the container saw them: the write fails once and returns them");

        fx.meter.reset();
        Consumption granted = consume("1");
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.requests());
        assertEquals(Map.of(), fx.meter.conditionFailures());
        assertEquals(3, granted.standings().size());
        assertEquals(98, granted.tokensLeft());
        assertEquals(0, new BigDecimal("3").compareTo(used(gpu(QuotaPeriod.DAY, "1000", "80", true), fx.clock.instant())));
        assertEquals(0, new BigDecimal("2").compareTo(used(gpu(QuotaPeriod.HOUR, "1000", "80", true), fx.clock.instant())));
    }

    @Test
    void requests_aHardRefusal_isOneReadAndOneCountingUpdate_orTheFailedWriteAndTheCount() {
        fx.service.setLimits("acme", gpu(QuotaPeriod.HOUR, "1", "80", true), Optional.empty());
        fx.service.setLimits("acme", gpu(QuotaPeriod.DAY, "1", "80", true), Optional.empty());
        QuotaService other = new QuotaService(fx.store, fx.publisher, fx.clock);
        other.check("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, BigDecimal.ONE);
        consume("1");
        fx.meter.reset();
        Consumption refused = consume("1");
        assertEquals(Consumption.Outcome.QUOTA_EXCEEDED, refused.outcome());
        assertEquals(Map.of("GetItem", 1L, "UpdateItem", 1L), fx.meter.requests(),
                "the item seen refuses: confirmed on a fresh read, then one UpdateItem counts both refusing periods");
        assertEquals(Map.of(), fx.meter.conditionFailures());

        fx.meter.reset();
        Consumption refusedElsewhere = other.consume("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, BigDecimal.ONE);
        assertEquals(Consumption.Outcome.QUOTA_EXCEEDED, refusedElsewhere.outcome());
        assertEquals(0, BigDecimal.ONE.compareTo(refusedElsewhere.binding().used()),
                "the item this container saw granted; its failed write returned the standing");
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.conditionFailures());
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.requests());
        var exceeded = fx.publisher.published(QuotaEvents.EXCEEDED);
        assertEquals(2, exceeded.size(), "one QuotaExceeded per refusing quota and minute");
        assertEquals(1, exceeded.get(0).detail().get("refusals").asLong());
        fx.clock.advance(Duration.ofMinutes(1));
        consume("1");
        assertEquals(3, fx.publisher.published(QuotaEvents.EXCEEDED).get(2).detail().get("refusals").asLong());
    }

    @Test
    void consume_inAContainerThatSawTheOldLimit_isDecidedOnTheLimitSetMidPeriodElsewhere() {
        QuotaService other = new QuotaService(fx.store, fx.publisher, fx.clock);
        fx.service.setLimits("acme", gpu(QuotaPeriod.DAY, "100", "80", true), Optional.empty());
        assertEquals(Consumption.Outcome.GRANTED, consume("30").outcome());

        other.setLimits("acme", gpu(QuotaPeriod.DAY, "40", "80", true), Optional.empty());
        fx.meter.reset();
        Consumption refused = consume("20");
        assertEquals(Consumption.Outcome.QUOTA_EXCEEDED, refused.outcome());
        assertEquals(0, new BigDecimal("40").compareTo(refused.binding().quota().limit()));
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.conditionFailures(), "the stale item cost one failed write");
        assertEquals(Consumption.Outcome.GRANTED, consume("10").outcome());
        assertEquals(0, new BigDecimal("40").compareTo(used(gpu(QuotaPeriod.DAY, "40", "80", true), fx.clock.instant())));
    }

    @Test
    void consume_inTheLastMillisecondOfAnHourAndTheFirstOfTheNext_countsEachInItsOwnPeriod() {
        QuotaLimit hour = gpu(QuotaPeriod.HOUR, "5", "80", true);
        fx.service.setLimits("acme", hour, Optional.of(Optional.of(new RateLimit(60, 2))));
        fx.clock.set(Instant.parse("2026-11-22T12:59:59.999Z"));
        assertEquals(Consumption.Outcome.GRANTED, consume("5").outcome());
        assertEquals(Consumption.Outcome.QUOTA_EXCEEDED, consume("0.000000001").outcome());
        fx.clock.advance(Duration.ofMillis(1));
        Consumption next = consume("5");
        assertEquals(Consumption.Outcome.GRANTED, next.outcome());
        assertEquals(Instant.parse("2026-11-22T14:00:00Z"), next.binding().resetAt());
        assertEquals(0, next.tokensLeft(), "the bucket does not reset with the period");
        assertEquals(0, new BigDecimal("5").compareTo(used(hour, Instant.parse("2026-11-22T12:30:00Z"))));
    }

    @Test
    void consume_inALaterPeriod_removesTheCountersOfPeriodsBeforeThePreviousOne() {
        QuotaLimit hour = gpu(QuotaPeriod.HOUR, "5", "80", true);
        fx.service.setLimits("acme", hour, Optional.empty());
        consume("1");
        fx.clock.advance(Duration.ofHours(1));
        consume("2");
        assertEquals(0, BigDecimal.ONE.compareTo(used(hour, fx.clock.instant().minus(Duration.ofHours(1)))),
                "the previous period is kept");
        fx.clock.advance(Duration.ofHours(1));
        consume("3");
        var item = fx.store.item("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS).orElseThrow();
        String firstHour = "used_HOUR_" + Instant.parse("2026-11-22T12:00:00Z").getEpochSecond();
        assertTrue(!item.attributes().containsKey(firstHour), item.attributes().keySet().toString());
        assertEquals(0, new BigDecimal("2").compareTo(used(hour, fx.clock.instant().minus(Duration.ofHours(1)))));
        assertEquals(0, new BigDecimal("3").compareTo(used(hour, fx.clock.instant())));
    }
}

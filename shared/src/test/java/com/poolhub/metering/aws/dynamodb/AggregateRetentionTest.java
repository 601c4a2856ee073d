package com.poolhub.metering.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.config.AggregateRetention;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every usage aggregate item carries the expiry of its granularity. */
class AggregateRetentionTest {
    private static final Duration MINUTES = Duration.ofDays(36);
    private static final UsageTotals TOTALS = new UsageTotals(new BigDecimal("1.5"), 1);

    private static UsageKey key(Granularity granularity, String start) {
        return new UsageKey("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, granularity, Instant.parse(start));
    }

    private static long ttl(UsageAggregateCodec codec, UsageKey key) {
        return Long.parseLong(codec.encode(key, TOTALS).get("ttl").n());
    }

    @Test
    void minuteItems_expireTheMinuteRetentionAfterTheirWindow_coarserOnesTheAggregateRetention() {
        UsageAggregateCodec codec = new UsageAggregateCodec(MINUTES, Duration.ofDays(730));

        UsageKey minute = key(Granularity.MINUTE, "2026-11-30T23:59:00Z");
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").plus(MINUTES).getEpochSecond(), ttl(codec, minute));
        UsageKey hour = key(Granularity.HOUR, "2026-11-30T23:00:00Z");
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").plus(Duration.ofDays(730)).getEpochSecond(), ttl(codec, hour));
        UsageKey day = key(Granularity.DAY, "2026-11-30T00:00:00Z");
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").plus(Duration.ofDays(730)).getEpochSecond(), ttl(codec, day));
        // a month's items are kept from its end: the last hour of November lives as long as the month
        UsageKey month = key(Granularity.MONTH, "2026-11-01T00:00:00Z");
        assertEquals(Instant.parse("2026-12-01T00:00:00Z").plus(Duration.ofDays(730)).getEpochSecond(), ttl(codec, month));
    }

    @Test
    void aggregateRetention_isAtLeast400Days_fromTheEnvironment() {
        assertEquals(Duration.ofDays(400), AggregateRetention.fromEnv(new Env(Map.of())));
        assertEquals(Duration.ofDays(400), AggregateRetention.fromEnv(new Env(Map.of("AGGREGATE_RETENTION_DAYS", "400"))));
        assertEquals(Duration.ofDays(1000), AggregateRetention.fromEnv(new Env(Map.of("AGGREGATE_RETENTION_DAYS", "1000"))));
        assertThrows(IllegalStateException.class, () -> AggregateRetention.fromEnv(new Env(Map.of("AGGREGATE_RETENTION_DAYS", "399"))));
        assertThrows(IllegalStateException.class, () -> new UsageAggregateCodec(MINUTES, Duration.ofDays(30)));
    }
}

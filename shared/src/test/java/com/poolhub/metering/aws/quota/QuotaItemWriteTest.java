package com.poolhub.metering.aws.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.quota.GcraBucket;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The consume write on the emulator: one UpdateItem that returns the new item, or the old one when its condition fails. */
class QuotaItemWriteTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final QuotaLimit DAY = new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY,
            new BigDecimal("10"), new BigDecimal("80"), true);

    private final DynamoDbMeter meter = new DynamoDbMeter();
    private final DynamoQuotaStore store = new DynamoQuotaStore(LocalDynamo.client(meter),
            LocalDynamo.freshTables().get(Table.QUOTAS));

    private DynamoQuotaStore.ConsumeResult consume(long version, String amount, GcraBucket bucket, GcraBucket.Take take) {
        BigDecimal requested = new BigDecimal(amount);
        return store.consume(new DynamoQuotaStore.ConsumeWrite("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, version,
                List.of(new DynamoQuotaStore.CounterAdd(PeriodKey.of("acme", DAY, NOW), requested,
                        DAY.limit().subtract(requested))), bucket, take, NOW.toEpochMilli()));
    }

    @Test
    void consume_returnsTheNewItem_orTheOldOneWhenTheConditionFails() {
        store.putSettings("acme", DAY, Optional.of(Optional.of(new RateLimit(60, 2))), NOW);
        QuotaItem item = store.item("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS).orElseThrow();
        assertEquals(1, item.version());
        assertNull(item.tat(), "a new bucket is full");
        GcraBucket bucket = new GcraBucket(item.rate());
        meter.reset();

        DynamoQuotaStore.ConsumeResult granted = consume(1, "6", bucket, bucket.take(null, NOW.toEpochMilli()));
        assertTrue(granted.written());
        assertEquals(0, new BigDecimal("6").compareTo(granted.item().use(PeriodKey.of("acme", DAY, NOW)).used()));
        assertEquals(1, bucket.tokensAt(granted.item().tat(), NOW.toEpochMilli()));

        DynamoQuotaStore.ConsumeResult overLimit = consume(1, "5", bucket, bucket.take(granted.item().tat(), NOW.toEpochMilli()));
        assertFalse(overLimit.written());
        assertEquals(0, new BigDecimal("6").compareTo(overLimit.item().use(PeriodKey.of("acme", DAY, NOW)).used()),
                "the failed condition returned the item as it was");
        assertEquals(granted.item().tat(), overLimit.item().tat(), "nothing moved");

        DynamoQuotaStore.ConsumeResult staleGuess = consume(1, "1", bucket, bucket.take(null, NOW.toEpochMilli()));
        assertFalse(staleGuess.written(), "the bucket is busy, not idle as guessed");
        assertEquals(Map.of("UpdateItem", 1L), meter.requests());
        assertEquals(Map.of("UpdateItem", 2L), meter.conditionFailures());

        store.putSettings("acme", DAY, Optional.empty(), NOW);
        DynamoQuotaStore.ConsumeResult staleVersion = consume(1, "1", bucket, bucket.take(granted.item().tat(), NOW.toEpochMilli()));
        assertFalse(staleVersion.written());
        assertEquals(2, staleVersion.item().version());
    }

    @Test
    void refused_countsEveryRefusingPeriodInOneUpdate_andAnnouncesTheFirstOfEachMinute() {
        QuotaLimit hour = new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.HOUR, BigDecimal.ONE,
                new BigDecimal("80"), true);
        store.putSettings("acme", DAY, Optional.empty(), NOW);
        store.putSettings("acme", hour, Optional.empty(), NOW);
        List<PeriodKey> keys = List.of(PeriodKey.of("acme", hour, NOW), PeriodKey.of("acme", DAY, NOW));
        assertEquals(new DynamoQuotaStore.Refusal(1, true), store.refused(keys, NOW).get(keys.get(0)));
        assertEquals(new DynamoQuotaStore.Refusal(2, false), store.refused(keys, NOW.plusSeconds(59)).get(keys.get(1)));
        assertEquals(new DynamoQuotaStore.Refusal(3, true), store.refused(keys, NOW.plusSeconds(60)).get(keys.get(0)));
    }
}

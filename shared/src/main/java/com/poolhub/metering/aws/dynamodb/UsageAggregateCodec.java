package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.config.AggregateRetention;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Usage aggregate items in the usage table. Partition {@code pk = tenant#GRANULARITY}, sort key
 * {@code sk = windowStart#RESOURCE#unit}, so one Query reads a tenant's windows over a time range.
 * Quantities are DynamoDB numbers (exact decimals). Minute items expire a retention period after
 * their window, which must outlast the deduplication horizon; hour, day and month items expire the
 * aggregate retention after theirs ({@link AggregateRetention}, at least 400 days). Every write
 * of a minute item also marks it dirty ({@link UsageDirtyMarks}), so the rollup finds what changed.
 * Hour and month items also carry {@link #WINDOW_ATTRIBUTE} ({@code HOUR#start} or {@code MONTH#start}),
 * the key of the sparse index {@link #WINDOW_INDEX} that lists every tenant's usage of one hour or
 * month (read by invoicing). Every hour item also carries a {@link BillingMarks} mark, so the billing
 * sync finds the hours whose totals changed.
 */
public final class UsageAggregateCodec implements ItemCodec<UsageKey, UsageTotals> {
    /** The sparse index of hour and month items by window: partition {@link #WINDOW_ATTRIBUTE}, sort {@code pk}. */
    public static final String WINDOW_INDEX = "byWindow";
    /** Set on HOUR and MONTH items only: see {@link #windowIndexKey}. */
    public static final String WINDOW_ATTRIBUTE = "billingWindow";
    private final Duration minuteRetention;
    private final Duration aggregateRetention;

    /** A codec for minute items only (ingest's writes); coarser windows are written by the rollup's codec. */
    public UsageAggregateCodec(Duration minuteRetention) {
        this(minuteRetention, AggregateRetention.MINIMUM);
    }

    public UsageAggregateCodec(Duration minuteRetention, Duration aggregateRetention) {
        this.minuteRetention = minuteRetention;
        this.aggregateRetention = AggregateRetention.require(aggregateRetention);
    }

    /** The partition key of a tenant's windows of one granularity. */
    public static String partition(String tenant, Granularity granularity) {
        return tenant + "#" + granularity;
    }

    /** The window index key of an hour or month window: {@code GRANULARITY#yyyy-MM-ddTHH:mm:ssZ}. */
    public static String windowIndexKey(Granularity granularity, Instant windowStart) {
        return granularity + "#" + UtcTimes.format(windowStart);
    }

    /** The sort key of one window, resource and unit. */
    public static String sortKey(UsageKey key) {
        return UtcTimes.format(key.windowStart()) + "#" + key.resource() + "#" + key.unit().wire();
    }

    @Override
    public Map<String, AttributeValue> key(UsageKey key) {
        return Map.of("pk", AttributeValue.fromS(partition(key.tenant(), key.granularity())),
                "sk", AttributeValue.fromS(sortKey(key)));
    }

    @Override
    public UsageTotals decode(UsageKey key, Map<String, AttributeValue> item) {
        AttributeValue quantity = item.get("quantity");
        AttributeValue events = item.get("events");
        return new UsageTotals(quantity == null ? BigDecimal.ZERO : new BigDecimal(quantity.n()),
                events == null ? 0 : Long.parseLong(events.n()));
    }

    @Override
    public Map<String, AttributeValue> encode(UsageKey key, UsageTotals state) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put("tenant", AttributeValue.fromS(key.tenant()));
        attributes.put("resource", AttributeValue.fromS(key.resource().name()));
        attributes.put("unit", AttributeValue.fromS(key.unit().wire()));
        attributes.put("granularity", AttributeValue.fromS(key.granularity().name()));
        attributes.put("windowStart", AttributeValue.fromS(UtcTimes.format(key.windowStart())));
        attributes.put("quantity", AttributeValue.fromN(state.quantity().toPlainString()));
        attributes.put("events", AttributeValue.fromN(Long.toString(state.events())));
        if (key.granularity() == Granularity.HOUR || key.granularity() == Granularity.MONTH) {
            attributes.put(WINDOW_ATTRIBUTE, AttributeValue.fromS(windowIndexKey(key.granularity(), key.windowStart())));
        }
        if (key.granularity() == Granularity.HOUR) {
            attributes.putAll(BillingMarks.mark(key));
        }
        if (key.granularity() == Granularity.MINUTE) {
            attributes.put("ttl", AttributeValue.fromN(Long.toString(
                    key.windowEnd().plus(minuteRetention).getEpochSecond())));
            attributes.putAll(UsageDirtyMarks.mark(key));
        } else {
            attributes.put("ttl", AttributeValue.fromN(Long.toString(
                    key.windowEnd().plus(aggregateRetention).getEpochSecond())));
        }
        return attributes;
    }
}

package com.poolhub.metering.billing;

import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes HOUR usage items as the aggregator does, through the shared codec, and keeps the MONTH item
 * of each written hour equal to the sum of its hours (as the rollup would).
 */
final class HourItems {
    private static final UsageAggregateCodec CODEC = new UsageAggregateCodec(Duration.ofDays(36));
    private final DynamoDbClient dynamo;
    private final String usageTable;
    private final Map<UsageKey, BigDecimal> hours = new HashMap<>();

    HourItems(DynamoDbClient dynamo, String usageTable) {
        this.dynamo = dynamo;
        this.usageTable = usageTable;
    }

    /** Sets the hour total of a tenant's resource and unit (replacing any earlier total), and its month's total. */
    void put(String tenant, Resource resource, UsageUnit unit, Instant hourStart, String quantity) {
        UsageKey hour = new UsageKey(tenant, resource, unit, Granularity.HOUR, hourStart);
        hours.put(hour, new BigDecimal(quantity));
        write(hour, new BigDecimal(quantity));
        UsageKey month = new UsageKey(tenant, resource, unit, Granularity.MONTH, Granularity.MONTH.windowStart(hourStart));
        BigDecimal sum = hours.entrySet().stream()
                .filter(e -> e.getKey().parent().parent().equals(month))
                .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
        write(month, sum);
    }

    private void write(UsageKey key, BigDecimal quantity) {
        Map<String, AttributeValue> item = new HashMap<>(CODEC.key(key));
        item.putAll(CODEC.encode(key, new UsageTotals(quantity, 1)));
        dynamo.putItem(b -> b.tableName(usageTable).item(item));
    }
}

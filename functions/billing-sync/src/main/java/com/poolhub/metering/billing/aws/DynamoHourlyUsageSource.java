package com.poolhub.metering.billing.aws;

import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.billing.HourlyUsage;
import com.poolhub.metering.billing.HourlyUsageSource;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Hour totals of every tenant from the usage table's sparse hour index
 * ({@link UsageAggregateCodec#HOUR_INDEX}): one paged Query per hour, whatever the number of tenants.
 * The index is eventually consistent; the settle delay covers its lag, and anything read short is
 * billed as an adjustment by a later run.
 */
public final class DynamoHourlyUsageSource implements HourlyUsageSource {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoHourlyUsageSource.class);
    private final DynamoDbClient dynamo;
    private final String usageTable;

    public DynamoHourlyUsageSource(DynamoDbClient dynamo, String usageTable) {
        this.dynamo = dynamo;
        this.usageTable = usageTable;
    }

    @Override
    public List<HourlyUsage> usageOf(Instant hourStart) {
        List<HourlyUsage> lines = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder()
                    .tableName(usageTable)
                    .indexName(UsageAggregateCodec.HOUR_INDEX)
                    .keyConditionExpression("#h = :h")
                    .expressionAttributeNames(Map.of("#h", UsageAggregateCodec.HOUR_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(UtcTimes.format(hourStart))))
                    .exclusiveStartKey(start)
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                HourlyUsage line = decode(item, hourStart);
                if (line != null) {
                    lines.add(line);
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return lines;
    }

    private static HourlyUsage decode(Map<String, AttributeValue> item, Instant hourStart) {
        AttributeValue tenant = item.get("tenant");
        AttributeValue quantity = item.get("quantity");
        var resource = item.containsKey("resource") ? Resource.parse(item.get("resource").s()) : java.util.Optional.<Resource>empty();
        var unit = item.containsKey("unit") ? UsageUnit.parse(item.get("unit").s()) : java.util.Optional.<UsageUnit>empty();
        if (tenant == null || quantity == null || resource.isEmpty() || unit.isEmpty()) {
            LOG.warn("hour item {} / {} is malformed; skipped", item.get("pk"), item.get("sk"));
            return null;
        }
        return new HourlyUsage(tenant.s(), resource.get(), unit.get(), hourStart, new BigDecimal(quantity.n()));
    }
}

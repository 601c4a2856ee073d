package com.poolhub.metering.usageapi;

import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.usage.Granularity;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The tenants with usage in a range of days, from the usage table's sparse window index: the
 * partition {@code MONTH#<month start>} holds every tenant's month items, one query per month.
 */
public final class UsageTenants {
    private final DynamoDbClient dynamo;
    private final String table;

    public UsageTenants(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Every tenant with a month item in a month that overlaps {@code [first, last]}, sorted. */
    public Set<String> withUsage(LocalDate first, LocalDate last) {
        Set<String> tenants = new TreeSet<>();
        for (YearMonth month = YearMonth.from(first); !month.isAfter(YearMonth.from(last)); month = month.plusMonths(1)) {
            String window = UsageAggregateCodec.windowIndexKey(Granularity.MONTH,
                    month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            dynamo.queryPaginator(QueryRequest.builder().tableName(table).indexName(UsageAggregateCodec.WINDOW_INDEX)
                            .keyConditionExpression("#w = :w")
                            .expressionAttributeNames(Map.of("#w", UsageAggregateCodec.WINDOW_ATTRIBUTE))
                            .expressionAttributeValues(Map.of(":w", AttributeValue.fromS(window)))
                            .build())
                    .items().forEach(item -> {
                        AttributeValue tenant = item.get("tenant");
                        if (tenant != null && tenant.s() != null) {
                            tenants.add(tenant.s());
                        }
                    });
        }
        return tenants;
    }
}

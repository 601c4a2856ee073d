package com.poolhub.metering.billing.aws;

import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.billing.HourlyUsage;
import com.poolhub.metering.billing.HourlyUsageSource;
import com.poolhub.metering.billing.invoice.InvoiceBuilder;
import com.poolhub.metering.billing.invoice.InvoiceUsageSource;
import com.poolhub.metering.pricing.UsageLine;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * HOUR usage items of the usage table. Across tenants, one hour at a time, through the sparse window
 * index ({@link UsageAggregateCodec#WINDOW_INDEX}, eventually consistent: the settle delay covers its
 * lag, and anything read short is billed later as an adjustment); for one tenant and month, by a
 * consistent Query of the tenant's hour partition. A month's tenants are read from the same index's
 * MONTH entries (written by the rollup of days into months).
 */
public final class DynamoHourlyUsage implements HourlyUsageSource, InvoiceUsageSource {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoHourlyUsage.class);
    private final DynamoDbClient dynamo;
    private final String usageTable;

    public DynamoHourlyUsage(DynamoDbClient dynamo, String usageTable) {
        this.dynamo = dynamo;
        this.usageTable = usageTable;
    }

    @Override
    public List<HourlyUsage> usageOf(Instant hourStart) {
        List<HourlyUsage> lines = new ArrayList<>();
        queryWindow(Granularity.HOUR, hourStart, item -> decode(item, Granularity.HOUR).ifPresent(key -> lines.add(
                new HourlyUsage(key.tenant(), key.resource(), key.unit(), hourStart, quantity(item)))));
        return lines;
    }

    @Override
    public Set<String> tenantsWithUsage(YearMonth month) {
        Set<String> tenants = new TreeSet<>();
        queryWindow(Granularity.MONTH, InvoiceBuilder.start(month),
                item -> decode(item, Granularity.MONTH).ifPresent(key -> tenants.add(key.tenant())));
        return tenants;
    }

    @Override
    public List<UsageLine> hourlyUsage(String tenant, YearMonth month) {
        List<UsageLine> lines = new ArrayList<>();
        PagedQuery.forEach(dynamo, QueryRequest.builder().tableName(usageTable).consistentRead(true)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(UsageAggregateCodec.partition(tenant, Granularity.HOUR)),
                        ":from", AttributeValue.fromS(UtcTimes.format(InvoiceBuilder.start(month))),
                        ":to", AttributeValue.fromS(UtcTimes.format(InvoiceBuilder.start(month.plusMonths(1))))))
                .build(), item -> decode(item, Granularity.HOUR).ifPresent(key -> lines.add(new UsageLine(key, quantity(item)))));
        return lines;
    }

    private void queryWindow(Granularity granularity, Instant start, Consumer<Map<String, AttributeValue>> each) {
        PagedQuery.forEach(dynamo, QueryRequest.builder().tableName(usageTable).indexName(UsageAggregateCodec.WINDOW_INDEX)
                .keyConditionExpression("#w = :w")
                .expressionAttributeNames(Map.of("#w", UsageAggregateCodec.WINDOW_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":w", AttributeValue.fromS(
                        UsageAggregateCodec.windowIndexKey(granularity, start))))
                .build(), each);
    }

    private static BigDecimal quantity(Map<String, AttributeValue> item) {
        return new BigDecimal(item.get("quantity").n());
    }

    /** The item's window key; empty (and logged) for an item that is not a well-formed hour total. */
    private static Optional<UsageKey> decode(Map<String, AttributeValue> item, Granularity granularity) {
        AttributeValue tenant = item.get("tenant");
        AttributeValue resource = item.get("resource");
        AttributeValue unit = item.get("unit");
        AttributeValue windowStart = item.get("windowStart");
        Optional<Resource> r = resource == null ? Optional.empty() : Resource.parse(resource.s());
        Optional<UsageUnit> u = unit == null ? Optional.empty() : UsageUnit.parse(unit.s());
        if (tenant == null || windowStart == null || item.get("quantity") == null || r.isEmpty() || u.isEmpty()) {
            LOG.warn("hour item {} / {} is malformed; skipped", item.get("pk"), item.get("sk"));
            return Optional.empty();
        }
        return Optional.of(new UsageKey(tenant.s(), r.get(), u.get(), granularity, Instant.parse(windowStart.s())));
    }
}

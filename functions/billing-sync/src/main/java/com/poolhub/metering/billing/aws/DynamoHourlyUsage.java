package com.poolhub.metering.billing.aws;

import com.poolhub.metering.aws.dynamodb.BillingMarks;
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
import java.util.LinkedHashSet;
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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * HOUR usage items of the usage table. The hours to bill are listed from their billing marks
 * ({@link BillingMarks}: one Query per shard, however far back the changes go) and each tenant hour
 * is read by a consistent Query of the tenant's hour partition; a billed mark is removed on the
 * condition that the item's quantity is still the one read. For one tenant and month, hours are
 * read by a consistent Query of the tenant's hour partition; a month's tenants are read from the
 * sparse window index's MONTH entries (written by the rollup of days into months).
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
    public List<TenantHour> changedBefore(Instant before) {
        Set<BillingMarks.MarkedHour> marked = new LinkedHashSet<>();
        for (int shard = 0; shard < BillingMarks.SHARDS; shard++) {
            PagedQuery.forEach(dynamo, QueryRequest.builder().tableName(usageTable).indexName(BillingMarks.INDEX)
                    .keyConditionExpression("#p = :p AND #s < :before")
                    .expressionAttributeNames(Map.of("#p", BillingMarks.PARTITION, "#s", BillingMarks.SORT))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(BillingMarks.partition(shard)),
                            ":before", AttributeValue.fromS(BillingMarks.sortFrom(before))))
                    .build(), item -> marked.add(BillingMarks.parse(item.get(BillingMarks.SORT).s())));
        }
        return marked.stream().map(m -> new TenantHour(m.tenant(), m.hourStart())).toList();
    }

    @Override
    public TenantHourUsage usageOf(TenantHour hour) {
        List<HourlyUsage> lines = new ArrayList<>();
        List<HourlyUsage> changed = new ArrayList<>();
        String hourStart = UtcTimes.format(hour.hourStart());
        PagedQuery.forEach(dynamo, QueryRequest.builder().tableName(usageTable).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :hour)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(UsageAggregateCodec.partition(hour.tenant(), Granularity.HOUR)),
                        ":hour", AttributeValue.fromS(hourStart + "#")))
                .build(), item -> decode(item, Granularity.HOUR).ifPresent(key -> {
                    HourlyUsage line = new HourlyUsage(key.tenant(), key.resource(), key.unit(), key.windowStart(),
                            quantity(item));
                    lines.add(line);
                    if (item.containsKey(BillingMarks.PARTITION)) {
                        changed.add(line);
                    }
                }));
        return new TenantHourUsage(hour, lines, changed);
    }

    @Override
    public void billed(TenantHourUsage usage) {
        for (HourlyUsage line : usage.changed()) {
            UsageKey key = new UsageKey(line.tenant(), line.resource(), line.unit(), Granularity.HOUR, line.hourStart());
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(usageTable)
                        .key(Map.of("pk", AttributeValue.fromS(UsageAggregateCodec.partition(key.tenant(), Granularity.HOUR)),
                                "sk", AttributeValue.fromS(UsageAggregateCodec.sortKey(key))))
                        .updateExpression("REMOVE #p, #s")
                        .conditionExpression("quantity = :q")
                        .expressionAttributeNames(Map.of("#p", BillingMarks.PARTITION, "#s", BillingMarks.SORT))
                        .expressionAttributeValues(Map.of(":q", AttributeValue.fromN(line.quantity().toPlainString())))
                        .build());
            } catch (ConditionalCheckFailedException changedSince) {
                // the total changed after it was read: its mark stays for the next run
            }
        }
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

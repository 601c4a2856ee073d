package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.pricing.MonthToDate;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Reads a tenant's usage windows of one granularity over a time range from the usage table, in
 * window order, a page at a time or all at once, and the month-to-date quantities that graduated
 * rates need before a range starts. Minute windows are read as ingest left them; hours, days and
 * months as the last rollup wrote them.
 */
public final class DynamoUsageReader {
    private static final String ATTRIBUTES = "pk, sk, tenant, #resource, #unit, windowStart, quantity, events, ver, srcVer";

    private final DynamoDbClient dynamo;
    private final String table;
    private final boolean consistent;
    private final UsageAggregateCodec codec = new UsageAggregateCodec(Duration.ZERO);

    /** A reader with eventually consistent reads (half the read cost; right for queries). */
    public DynamoUsageReader(DynamoDbClient dynamo, String table) {
        this(dynamo, table, false);
    }

    /** @param consistent whether to read strongly consistently (the rollup must see every write) */
    public DynamoUsageReader(DynamoDbClient dynamo, String table, boolean consistent) {
        this.dynamo = dynamo;
        this.table = table;
        this.consistent = consistent;
    }

    /**
     * One page of windows.
     *
     * @param after the sort key of the last window of the previous page (its {@link Page#last()}), or null
     */
    public record Page(List<VersionedWindow> windows, String last) {
    }

    /** Windows starting in {@code [from, to)}, at most {@code limit}, after the sort key {@code after}. */
    public Page page(String tenant, Granularity granularity, Instant from, Instant to, int limit, String after) {
        List<VersionedWindow> windows = new ArrayList<>();
        Map<String, AttributeValue> start = after == null ? null : Map.of(
                "pk", AttributeValue.fromS(UsageAggregateCodec.partition(tenant, granularity)), "sk", AttributeValue.fromS(after));
        String last = null;
        do {
            QueryResponse page = dynamo.query(query(tenant, granularity, from, to)
                    .limit(limit - windows.size()).exclusiveStartKey(start).build());
            for (Map<String, AttributeValue> item : page.items()) {
                windows.add(window(granularity, item));
                last = item.get("sk").s();
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && windows.size() < limit);
        return new Page(windows, start == null ? null : last);
    }

    /** Every window starting in {@code [from, to)}. */
    public List<VersionedWindow> all(String tenant, Granularity granularity, Instant from, Instant to) {
        List<VersionedWindow> windows = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(query(tenant, granularity, from, to).exclusiveStartKey(start).build());
            page.items().forEach(item -> windows.add(window(granularity, item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return windows;
    }

    /**
     * The quantities the tenant used in the month of {@code at} before {@code at}, per resource and
     * unit: whole days from the day windows, then hours of the day from the hour windows, then minutes
     * of the hour (as far as {@code at}'s granularity goes; {@code at} must start a window of it).
     */
    public MonthToDate monthToDateBefore(String tenant, Granularity granularity, Instant at) {
        Map<MonthToDate.Position, BigDecimal> used = new HashMap<>();
        Instant monthStart = Granularity.MONTH.windowStart(at);
        Instant cursor = monthStart;
        for (Granularity step : List.of(Granularity.DAY, Granularity.HOUR, Granularity.MINUTE)) {
            if (step.compareTo(granularity) < 0) {
                break;
            }
            Instant until = step.windowStart(at);
            if (until.isAfter(cursor)) {
                for (VersionedWindow window : all(tenant, step, cursor, until)) {
                    used.merge(MonthToDate.Position.of(window.key()), window.totals().quantity(), BigDecimal::add);
                }
            }
            cursor = until.isAfter(cursor) ? until : cursor;
        }
        return new MonthToDate(used);
    }

    private QueryRequest.Builder query(String tenant, Granularity granularity, Instant from, Instant to) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#resource", "resource", "#unit", "unit"))
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS(UsageAggregateCodec.partition(tenant, granularity)),
                        ":from", AttributeValue.fromS(UtcTimes.format(from)),
                        // a window starting at `to` has the sort key "<to>#...", above this bound: [from, to)
                        ":to", AttributeValue.fromS(UtcTimes.format(to))))
                .projectionExpression(ATTRIBUTES)
                .consistentRead(consistent)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
    }

    private VersionedWindow window(Granularity granularity, Map<String, AttributeValue> item) {
        UsageKey key = new UsageKey(item.get("tenant").s(), Resource.valueOf(item.get("resource").s()),
                UsageUnit.parse(item.get("unit").s()).orElseThrow(), granularity, Instant.parse(item.get("windowStart").s()));
        AttributeValue version = item.get(granularity == Granularity.MINUTE ? "ver" : DynamoUsageRollup.SOURCE_VERSION);
        return new VersionedWindow(key, codec.decode(key, item), version == null ? 0 : Long.parseLong(version.n()));
    }
}

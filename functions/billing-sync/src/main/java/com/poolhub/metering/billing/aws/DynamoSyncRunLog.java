package com.poolhub.metering.billing.aws;

import com.poolhub.metering.api.PagePosition;
import com.poolhub.metering.billing.SyncReport;
import com.poolhub.metering.billing.SyncRunLog;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Sync run reports in the billing table, one item per run: {@code pk = SYNCRUN#<yyyy-MM of the run>},
 * {@code sk = <ranAt, fixed width, nanoseconds>#<16 hex digits>} (two runs at the same instant keep
 * both), the report's figures as attributes, and {@code ttl} = ranAt + the retention, after which
 * DynamoDB removes the item. A month's runs are one partition (a run an hour is 744 items), read
 * newest first with one Query per month of the range.
 */
public final class DynamoSyncRunLog implements SyncRunLog {
    private static final String PREFIX = "SYNCRUN#";
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final SecureRandom random = new SecureRandom();

    public DynamoSyncRunLog(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    /** How long a run is kept. */
    public Duration retention() {
        return retention;
    }

    @Override
    public void record(SyncReport report, Trigger trigger) {
        byte[] suffix = new byte[8];
        random.nextBytes(suffix);
        String id = HexFormat.of().formatHex(suffix);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(partition(YearMonth.from(report.ranAt().atZone(ZoneOffset.UTC)))));
        item.put("sk", AttributeValue.fromS(SORTABLE.format(report.ranAt()) + "#" + id));
        item.put("runId", AttributeValue.fromS(id));
        item.put("trigger", AttributeValue.fromS(trigger.name()));
        item.put("ranAt", AttributeValue.fromS(report.ranAt().toString()));
        item.put("hoursScanned", number(report.hoursScanned()));
        item.put("recordsCreated", number(report.recordsCreated()));
        item.put("adjustments", number(report.adjustments()));
        item.put("synced", number(report.synced()));
        item.put("retried", number(report.retried()));
        item.put("failed", number(report.failed()));
        item.put("deferred", number(report.deferred()));
        if (report.watermark() != null) {
            item.put("watermark", AttributeValue.fromS(report.watermark().toString()));
        }
        item.put("lagSeconds", number(report.lagSeconds()));
        item.put("ttl", number(report.ranAt().plus(retention).getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Page runs(Instant from, Instant to, int limit, Map<String, String> after) {
        String low = SORTABLE.format(from);
        String high = SORTABLE.format(to);
        YearMonth first = YearMonth.from(from.atZone(ZoneOffset.UTC));
        YearMonth month = YearMonth.from(to.minusNanos(1).atZone(ZoneOffset.UTC));
        Map<String, AttributeValue> start = null;
        if (after != null) {
            String pk = PagePosition.within(after.get("pk"), partition(first), partition(month));
            try {
                month = YearMonth.parse(pk.substring(PREFIX.length()));
            } catch (DateTimeParseException e) {
                throw new PagePosition.OutsideQuery("page position key " + pk + " names no month");
            }
            start = Map.of("pk", AttributeValue.fromS(pk),
                    "sk", AttributeValue.fromS(PagePosition.within(after.get("sk"), low, high)));
        }
        List<SyncRun> runs = new ArrayList<>();
        Map<String, String> next = null;
        for (; !month.isBefore(first) && runs.size() < limit; month = month.minusMonths(1)) {
            QueryResponse page;
            do {
                page = dynamo.query(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :low AND :high")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(month)),
                                ":low", AttributeValue.fromS(low), ":high", AttributeValue.fromS(high)))
                        .scanIndexForward(false).consistentRead(true).limit(limit - runs.size())
                        .exclusiveStartKey(start).build());
                for (Map<String, AttributeValue> item : page.items()) {
                    runs.add(run(item));
                    next = Map.of("pk", item.get("pk").s(), "sk", item.get("sk").s());
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && runs.size() < limit);
            boolean more = start != null || month.isAfter(first);
            if (runs.size() >= limit) {
                return new Page(runs, more ? next : null);
            }
        }
        return new Page(runs, null);
    }

    private static String partition(YearMonth month) {
        return PREFIX + month;
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static SyncRun run(Map<String, AttributeValue> item) {
        AttributeValue watermark = item.get("watermark");
        SyncReport report = new SyncReport(count(item, "hoursScanned"), count(item, "recordsCreated"),
                count(item, "adjustments"), count(item, "synced"), count(item, "retried"), count(item, "failed"),
                count(item, "deferred"), watermark == null ? null : Instant.parse(watermark.s()),
                Long.parseLong(item.get("lagSeconds").n()), Instant.parse(item.get("ranAt").s()));
        return new SyncRun(item.get("runId").s(), Trigger.valueOf(item.get("trigger").s()), report);
    }

    private static int count(Map<String, AttributeValue> item, String name) {
        return Integer.parseInt(item.get(name).n());
    }
}

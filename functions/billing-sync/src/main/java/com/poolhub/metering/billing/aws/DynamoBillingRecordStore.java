package com.poolhub.metering.billing.aws;

import com.poolhub.metering.api.PagePosition;
import com.poolhub.metering.billing.BillingMetric;
import com.poolhub.metering.billing.BillingRecordStore;
import com.poolhub.metering.billing.SyncStatus;
import com.poolhub.metering.billing.UsageRecord;
import com.poolhub.metering.billing.Watermark;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Usage records and the watermark in the billing table.
 * <ul>
 *   <li>record: {@code pk = SYNC#{periodStart}}, {@code sk = {tenant}#{metric}#{revision, 4 digits}}, with
 *       {@code tenantKey = SYNC#{tenant}} and {@code tenantSort = {periodStart}#{metric}#{revision}} for the
 *       tenant index; created with {@code attribute_not_exists}, so one revision is stored once;</li>
 *   <li>watermark: {@code pk = WATERMARK}, {@code sk = coordinator}, attributes {@code through} and {@code ver}
 *       (moved only when {@code ver} is unchanged).</li>
 * </ul>
 */
public final class DynamoBillingRecordStore implements BillingRecordStore {
    static final String TENANT_INDEX = "byTenant";
    private static final Map<String, AttributeValue> WATERMARK_KEY = Map.of(
            "pk", AttributeValue.fromS("WATERMARK"), "sk", AttributeValue.fromS("coordinator"));

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoBillingRecordStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String partition(Instant periodStart) {
        return "SYNC#" + UtcTimes.format(periodStart);
    }

    static String sortKey(String tenant, BillingMetric metric, int revision) {
        return tenant + "#" + metric.wire() + "#" + String.format("%04d", revision);
    }

    @Override
    public List<UsageRecord> recordsOf(Instant periodStart) {
        List<UsageRecord> records = new ArrayList<>();
        PagedQuery.forEach(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(periodStart))))
                .build(), item -> records.add(decode(item)));
        return records;
    }

    @Override
    public boolean create(UsageRecord record) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(encode(record))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public void markAccepted(UsageRecord record, int attempts, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(key(record))
                .updateExpression("SET #s = :accepted, attempts = :attempts, updatedAt = :at, acceptedAt = :at REMOVE lastError")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":accepted", AttributeValue.fromS(SyncStatus.ACCEPTED.name()),
                        ":attempts", AttributeValue.fromN(Integer.toString(attempts)),
                        ":at", AttributeValue.fromS(UtcTimes.format(at)))));
    }

    @Override
    public void markFailed(UsageRecord record, int attempts, String error, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(record))
                    .updateExpression("SET #s = :failed, attempts = :attempts, updatedAt = :at, lastError = :error")
                    .conditionExpression("attribute_exists(pk) AND #s <> :accepted")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":failed", AttributeValue.fromS(SyncStatus.FAILED.name()),
                            ":accepted", AttributeValue.fromS(SyncStatus.ACCEPTED.name()),
                            ":attempts", AttributeValue.fromN(Integer.toString(attempts)),
                            ":at", AttributeValue.fromS(UtcTimes.format(at)),
                            ":error", AttributeValue.fromS(error == null ? "unknown" : truncate(error)))));
        } catch (ConditionalCheckFailedException acceptedMeanwhile) {
            // another run had it accepted: that outcome stands
        }
    }

    @Override
    public Watermark watermark() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(WATERMARK_KEY).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Watermark.NONE;
        }
        return new Watermark(Instant.parse(item.get("through").s()), Long.parseLong(item.get("ver").n()));
    }

    @Override
    public boolean moveWatermark(Watermark read, Instant through, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":through", AttributeValue.fromS(UtcTimes.format(through)));
        values.put(":at", AttributeValue.fromS(UtcTimes.format(at)));
        values.put(":next", AttributeValue.fromN(Long.toString(read.version() + 1)));
        String condition = "attribute_not_exists(pk)";
        if (read.through() != null) {
            condition = "ver = :ver";
            values.put(":ver", AttributeValue.fromN(Long.toString(read.version())));
        }
        String finalCondition = condition;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(WATERMARK_KEY)
                    .updateExpression("SET through = :through, updatedAt = :at, ver = :next")
                    .conditionExpression(finalCondition)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    @Override
    public Page tenantRecords(String tenant, Instant from, Instant to, int limit, Map<String, String> after) {
        Map<String, AttributeValue> start = after == null ? null : startKey(tenant, from, to, after);
        QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table).indexName(TENANT_INDEX)
                .keyConditionExpression("tenantKey = :t AND tenantSort BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("SYNC#" + tenant),
                        ":from", AttributeValue.fromS(UtcTimes.format(from)),
                        ":to", AttributeValue.fromS(UtcTimes.format(to))))
                .limit(limit)
                .exclusiveStartKey(start).build());
        List<UsageRecord> records = page.items().stream().map(DynamoBillingRecordStore::decode).toList();
        Map<String, String> next = null;
        if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
            next = new HashMap<>();
            for (Map.Entry<String, AttributeValue> e : page.lastEvaluatedKey().entrySet()) {
                next.put(e.getKey(), e.getValue().s());
            }
        }
        return new Page(records, next);
    }

    /**
     * The index position to resume a tenant query at: its index key must be the tenant's and lie in the
     * range, and its table key must be the one an item with that index key has.
     */
    private static Map<String, AttributeValue> startKey(String tenant, Instant from, Instant to, Map<String, String> after) {
        String tenantSort = PagePosition.within(after.get("tenantSort"), UtcTimes.format(from), UtcTimes.format(to));
        String[] parts = tenantSort.split("#", -1);
        if (parts.length != 3) {
            throw new PagePosition.OutsideQuery("page position " + tenantSort + " is not period#metric#revision");
        }
        Map<String, AttributeValue> start = new HashMap<>();
        start.put("tenantKey", AttributeValue.fromS(PagePosition.matching(after.get("tenantKey"), "SYNC#" + tenant)));
        start.put("tenantSort", AttributeValue.fromS(tenantSort));
        start.put("pk", AttributeValue.fromS(PagePosition.matching(after.get("pk"), "SYNC#" + parts[0])));
        start.put("sk", AttributeValue.fromS(PagePosition.matching(after.get("sk"), tenant + "#" + parts[1] + "#" + parts[2])));
        if (after.size() != start.size()) {
            throw new PagePosition.OutsideQuery("page position has fields the tenant index does not");
        }
        return start;
    }

    private static Map<String, AttributeValue> key(UsageRecord record) {
        return Map.of("pk", AttributeValue.fromS(partition(record.periodStart())),
                "sk", AttributeValue.fromS(sortKey(record.tenant(), record.metric(), record.revision())));
    }

    static Map<String, AttributeValue> encode(UsageRecord record) {
        Map<String, AttributeValue> item = new HashMap<>(key(record));
        String period = UtcTimes.format(record.periodStart());
        item.put("tenantKey", AttributeValue.fromS("SYNC#" + record.tenant()));
        item.put("tenantSort", AttributeValue.fromS(period + "#" + record.metric().wire() + "#"
                + String.format("%04d", record.revision())));
        item.put("tenant", AttributeValue.fromS(record.tenant()));
        item.put("periodStart", AttributeValue.fromS(period));
        item.put("periodEnd", AttributeValue.fromS(UtcTimes.format(record.periodEnd())));
        item.put("metric", AttributeValue.fromS(record.metric().wire()));
        item.put("revision", AttributeValue.fromN(Integer.toString(record.revision())));
        item.put("quantity", AttributeValue.fromN(record.quantity().toPlainString()));
        item.put("idempotencyKey", AttributeValue.fromS(record.idempotencyKey()));
        item.put("status", AttributeValue.fromS(record.status().name()));
        item.put("attempts", AttributeValue.fromN(Integer.toString(record.attempts())));
        item.put("createdAt", AttributeValue.fromS(UtcTimes.format(record.createdAt())));
        item.put("updatedAt", AttributeValue.fromS(UtcTimes.format(record.updatedAt())));
        if (record.lastError() != null) {
            item.put("lastError", AttributeValue.fromS(truncate(record.lastError())));
        }
        return item;
    }

    static UsageRecord decode(Map<String, AttributeValue> item) {
        BillingMetric metric = BillingMetric.parse(item.get("metric").s())
                .orElseThrow(() -> new IllegalStateException("unknown metric in billing record " + item.get("sk").s()));
        AttributeValue error = item.get("lastError");
        return new UsageRecord(item.get("tenant").s(), Instant.parse(item.get("periodStart").s()),
                Instant.parse(item.get("periodEnd").s()), metric, Integer.parseInt(item.get("revision").n()),
                new BigDecimal(item.get("quantity").n()), SyncStatus.valueOf(item.get("status").s()),
                Integer.parseInt(item.get("attempts").n()), error == null ? null : error.s(),
                Instant.parse(item.get("createdAt").s()), Instant.parse(item.get("updatedAt").s()));
    }

    private static String truncate(String error) {
        return error.length() <= 500 ? error : error.substring(0, 500);
    }
}

package com.poolhub.metering.aws.sla;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.api.PagePosition;
import com.poolhub.metering.aws.dynamodb.BatchWriter;
import com.poolhub.metering.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.sla.CapacitySnapshot;
import com.poolhub.metering.sla.Collection;
import com.poolhub.metering.sla.CollectionRequest;
import com.poolhub.metering.sla.CollectionStatus;
import com.poolhub.metering.sla.MinerMetrics;
import com.poolhub.metering.sla.Page;
import com.poolhub.metering.sla.PoolMetrics;
import com.poolhub.metering.sla.Recommendation;
import com.poolhub.metering.sla.SlaJson;
import com.poolhub.metering.sla.SlaMetric;
import com.poolhub.metering.sla.SlaRepository;
import com.poolhub.metering.sla.SlaWindow;
import com.poolhub.metering.sla.ViolationRecord;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link SlaRepository} on the SLA table. Layout ({@code pk} / {@code sk}):
 * {@code COLLECTION} / collectedAt (pool figures); {@code METRICS#collectedAt} / minerId;
 * {@code VIOLATIONS} / collectedAt#metric#subject (with {@code pendingPk = PENDING} until its event is
 * published, indexed by the sparse {@code pending} index); {@code CAPACITY} / at (snapshots);
 * {@code RECOMMENDATION} / {@code LATEST}; {@code COLLECTION_REQUEST} / collection id (its window and
 * requester in {@code doc}; {@code status}, {@code attempts}, {@code leaseUntil} in epoch milliseconds,
 * {@code startedAt}, {@code finishedAt}, {@code result} and {@code reason} as attributes, changed by
 * conditional updates). Each record's figures are a JSON document in {@code doc}; everything expires
 * after the retention period.
 */
public final class DynamoSlaRepository implements SlaRepository {
    static final String PENDING = "PENDING";
    static final String COLLECTION_REQUEST = "COLLECTION_REQUEST";
    private static final int MAX_ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoSlaRepository(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public void saveMinerMetrics(Instant collectedAt, List<MinerMetrics> metrics) {
        List<WriteRequest> writes = new ArrayList<>();
        for (MinerMetrics m : metrics) {
            Map<String, AttributeValue> item = item("METRICS#" + UtcTimes.format(collectedAt), m.minerId(),
                    SlaJson.minerMetrics(m), collectedAt);
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        List<WriteRequest> unwritten = new BatchWriter(dynamo, MAX_ATTEMPTS).write(table, writes);
        if (!unwritten.isEmpty()) {
            throw new IllegalStateException(unwritten.size() + " SLA metric items still unprocessed after "
                    + MAX_ATTEMPTS + " attempts");
        }
    }

    @Override
    public void saveCollection(Collection collection) {
        Map<String, AttributeValue> item = item("COLLECTION", UtcTimes.format(collection.collectedAt()),
                SlaJson.pool(collection.pool()), collection.collectedAt());
        item.put("miners", AttributeValue.fromN(Long.toString(collection.miners())));
        item.put("violations", AttributeValue.fromN(Long.toString(collection.violations())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<Collection> latestCollection() {
        QueryResponse response = dynamo.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("COLLECTION")))
                .scanIndexForward(false).limit(1).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        if (response.items().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.items().get(0);
        PoolMetrics pool = SlaJson.pool(doc(item));
        return Optional.of(new Collection(Instant.parse(item.get("sk").s()),
                new SlaWindow(pool.windowStart(), pool.windowEnd()), pool,
                Long.parseLong(item.get("miners").n()), Long.parseLong(item.get("violations").n())));
    }

    @Override
    public Page<MinerMetrics> minerMetrics(Instant collectedAt, int limit, Map<String, String> from) {
        String pk = "METRICS#" + UtcTimes.format(collectedAt);
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pk)));
        return page(query, pk, limit, from, null, null, item -> SlaJson.minerMetrics(doc(item)));
    }

    @Override
    public boolean recordViolation(ViolationRecord violation) {
        Map<String, AttributeValue> item = item("VIOLATIONS", violationKey(violation), SlaJson.violation(violation),
                violation.collectedAt());
        item.put("pendingPk", AttributeValue.fromS(PENDING));
        item.put("metric", AttributeValue.fromS(violation.violation().metric().name()));
        if (!violation.violation().isPool()) {
            item.put("minerId", AttributeValue.fromS(violation.violation().subject()));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException alreadyStored) {
            return false;
        }
    }

    @Override
    public List<ViolationRecord> pendingViolations(int limit) {
        QueryResponse response = dynamo.query(b -> b.tableName(table).indexName("pending")
                .keyConditionExpression("pendingPk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(PENDING)))
                .limit(limit).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        List<ViolationRecord> pending = new ArrayList<>();
        response.items().forEach(item -> pending.add(SlaJson.violation(doc(item))));
        return pending;
    }

    @Override
    public void markPublished(ViolationRecord violation) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("VIOLATIONS"), "sk", AttributeValue.fromS(violationKey(violation))))
                .updateExpression("REMOVE pendingPk")
                .conditionExpression("attribute_exists(pk)")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    @Override
    public Page<ViolationRecord> violations(Instant since, String minerId, SlaMetric metric, int limit,
                                            Map<String, String> from) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", AttributeValue.fromS("VIOLATIONS"));
        values.put(":since", AttributeValue.fromS(UtcTimes.format(since)));
        List<String> filters = new ArrayList<>();
        if (minerId != null) {
            values.put(":m", AttributeValue.fromS(minerId));
            filters.add("minerId = :m");
        }
        if (metric != null) {
            values.put(":metric", AttributeValue.fromS(metric.name()));
            filters.add("metric = :metric");
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :p AND sk >= :since").expressionAttributeValues(values);
        if (!filters.isEmpty()) {
            query.filterExpression(String.join(" AND ", filters));
        }
        return page(query, "VIOLATIONS", limit, from, UtcTimes.format(since), null, item -> SlaJson.violation(doc(item)));
    }

    @Override
    public void saveSnapshot(CapacitySnapshot snapshot) {
        Map<String, AttributeValue> item = item("CAPACITY", UtcTimes.format(snapshot.at()), SlaJson.snapshot(snapshot),
                snapshot.at());
        dynamo.putItem(b -> b.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    @Override
    public Page<CapacitySnapshot> snapshots(Instant from, Instant to, int limit, Map<String, String> next) {
        String lowest = UtcTimes.format(from);
        String highest = UtcTimes.format(to.minusSeconds(1));
        if (highest.compareTo(lowest) < 0) {
            return Page.last(List.of()); // a range shorter than the one-second grain of the keys
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("CAPACITY"),
                        ":from", AttributeValue.fromS(lowest), ":to", AttributeValue.fromS(highest)));
        return page(query, "CAPACITY", limit, next, lowest, highest, item -> SlaJson.snapshot(doc(item)));
    }

    @Override
    public Optional<Recommendation> lastRecommendation() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("RECOMMENDATION"), "sk", AttributeValue.fromS("LATEST")))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(SlaJson.recommendation(doc(item)));
    }

    @Override
    public void saveRecommendation(Recommendation recommendation) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("RECOMMENDATION"));
        item.put("sk", AttributeValue.fromS("LATEST"));
        item.put("doc", AttributeValue.fromS(SlaJson.recommendation(recommendation).toString()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public void saveCollectionRequest(CollectionRequest request) {
        ObjectNode doc = Json.object();
        doc.put("collectionId", request.id());
        doc.put("windowStart", UtcTimes.format(request.window().start()));
        doc.put("windowEnd", UtcTimes.format(request.window().end()));
        doc.put("requestedAt", UtcTimes.format(request.requestedAt()));
        doc.put("requestedBy", request.requestedBy());
        Map<String, AttributeValue> item = item(COLLECTION_REQUEST, request.id(), doc, request.requestedAt());
        item.put("status", AttributeValue.fromS(request.status().name()));
        item.put("attempts", AttributeValue.fromN(Integer.toString(request.attempts())));
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    @Override
    public Optional<CollectionRequest> collectionRequest(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(requestKey(id)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        JsonNode doc = doc(item);
        return Optional.of(new CollectionRequest(id,
                new SlaWindow(Instant.parse(doc.get("windowStart").asText()), Instant.parse(doc.get("windowEnd").asText())),
                CollectionStatus.valueOf(item.get("status").s()), Instant.parse(doc.get("requestedAt").asText()),
                doc.get("requestedBy").asText(), Integer.parseInt(item.get("attempts").n()), instant(item, "startedAt"),
                item.containsKey("leaseUntil") ? Instant.ofEpochMilli(Long.parseLong(item.get("leaseUntil").n())) : null,
                instant(item, "finishedAt"), item.containsKey("result") ? (ObjectNode) parse(item.get("result").s()) : null,
                item.containsKey("reason") ? item.get("reason").s() : null));
    }

    @Override
    public OptionalInt claimCollectionRequest(String id, Instant now, Instant leaseUntil) {
        try {
            Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(table).key(requestKey(id))
                    .updateExpression("SET #s = :running, attempts = attempts + :one, startedAt = :now, leaseUntil = :lease")
                    .conditionExpression("attribute_exists(pk) AND (#s = :requested OR (#s = :running AND leaseUntil <= :nowMs))")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(
                            ":running", AttributeValue.fromS(CollectionStatus.RUNNING.name()),
                            ":requested", AttributeValue.fromS(CollectionStatus.REQUESTED.name()),
                            ":one", AttributeValue.fromN("1"),
                            ":now", AttributeValue.fromS(UtcTimes.format(now)),
                            ":nowMs", AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                            ":lease", AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli()))))
                    .returnValues(ReturnValue.UPDATED_NEW)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).attributes();
            return OptionalInt.of(Integer.parseInt(updated.get("attempts").n()));
        } catch (ConditionalCheckFailedException finishedOrHeld) {
            return OptionalInt.empty();
        }
    }

    @Override
    public boolean finishCollectionRequest(String id, int attempt, CollectionStatus status, ObjectNode result,
                                           String reason, Instant at) {
        if (!status.finished()) {
            throw new IllegalArgumentException(status + " is not a finished status");
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":status", AttributeValue.fromS(status.name()));
        values.put(":at", AttributeValue.fromS(UtcTimes.format(at)));
        values.put(":attempt", AttributeValue.fromN(Integer.toString(attempt)));
        values.put(":requested", AttributeValue.fromS(CollectionStatus.REQUESTED.name()));
        values.put(":running", AttributeValue.fromS(CollectionStatus.RUNNING.name()));
        StringBuilder update = new StringBuilder("SET #s = :status, finishedAt = :at");
        if (result != null) {
            values.put(":result", AttributeValue.fromS(result.toString()));
            update.append(", #r = :result");
        }
        if (reason != null) {
            values.put(":reason", AttributeValue.fromS(reason));
            update.append(", reason = :reason");
        }
        update.append(" REMOVE leaseUntil");
        try {
            dynamo.updateItem(b -> b.tableName(table).key(requestKey(id)).updateExpression(update.toString())
                    .conditionExpression("attempts = :attempt AND #s IN (:requested, :running)")
                    .expressionAttributeNames(result != null ? Map.of("#s", "status", "#r", "result") : Map.of("#s", "status"))
                    .expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException takenOverOrFinished) {
            return false;
        }
    }

    private static Map<String, AttributeValue> requestKey(String id) {
        return Map.of("pk", AttributeValue.fromS(COLLECTION_REQUEST), "sk", AttributeValue.fromS(id));
    }

    private static Instant instant(Map<String, AttributeValue> item, String attribute) {
        return item.containsKey(attribute) ? Instant.parse(item.get(attribute).s()) : null;
    }

    private static String violationKey(ViolationRecord violation) {
        return UtcTimes.format(violation.collectedAt()) + "#" + violation.violation().metric() + "#"
                + violation.violation().subject();
    }

    private Map<String, AttributeValue> item(String pk, String sk, JsonNode doc, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("doc", AttributeValue.fromS(doc.toString()));
        item.put("ttl", AttributeValue.fromN(Long.toString(at.plus(retention).getEpochSecond())));
        return item;
    }

    /** A page of the query on {@code pk}, whose sort keys lie in {@code [lowest, highest]} (null: open). */
    private <T> Page<T> page(QueryRequest.Builder query, String pk, int limit, Map<String, String> from,
                             String lowest, String highest, Function<Map<String, AttributeValue>, T> decode) {
        query.limit(limit).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (from != null) {
            String sk = PagePosition.within(from.get("sk"), lowest, highest);
            query.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)));
        }
        QueryResponse response = dynamo.query(query.build());
        List<T> items = new ArrayList<>();
        response.items().forEach(item -> items.add(decode.apply(item)));
        Map<String, String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Map.of("sk", response.lastEvaluatedKey().get("sk").s()) : null;
        return new Page<>(items, next);
    }

    private static JsonNode doc(Map<String, AttributeValue> item) {
        return parse(item.get("doc").s());
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored SLA document is not JSON", e);
        }
    }
}

package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.Rejection;
import com.poolhub.metering.event.WellFormedText;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Rejected inputs in DynamoDB, one item each, partitioned by stream and UTC arrival day and sorted by
 * arrival. The key comes from the record's shard, sequence number and position, so saving a reject
 * again (a redelivered batch) overwrites the same item. An unresolved reject expires the retention
 * period after it arrived; a resolved one carries {@code resolvedAt} and expires a week after that.
 */
public final class DynamoRejectStore implements RejectStore {
    private static final int MAX_ATTEMPTS = 6;
    private static final String RESOLVED_AT = "resolvedAt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final BatchWriter writer;

    public DynamoRejectStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.writer = new BatchWriter(dynamo, MAX_ATTEMPTS);
        this.table = table;
        this.retention = retention;
    }

    @Override
    public List<RejectedRecord> save(List<RejectedRecord> rejects) {
        Map<Map<String, AttributeValue>, RejectedRecord> byKey = new HashMap<>();
        List<WriteRequest> requests = new ArrayList<>();
        for (RejectedRecord reject : rejects) {
            Map<String, AttributeValue> item = toItem(reject);
            byKey.put(Map.of("pk", item.get("pk"), "sk", item.get("sk")), reject);
            requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        List<RejectedRecord> unsaved = new ArrayList<>();
        for (WriteRequest request : writer.write(table, requests)) {
            Map<String, AttributeValue> item = request.putRequest().item();
            unsaved.add(byKey.get(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        }
        return unsaved;
    }

    @Override
    public Page list(String stream, LocalDate day, int limit, String nextToken) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk")
                .filterExpression("attribute_not_exists(#r)")
                .expressionAttributeNames(Map.of("#r", RESOLVED_AT))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(stream, day))))
                .limit(limit);
        if (nextToken != null && !nextToken.isBlank()) {
            String sk = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
            query.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(partition(stream, day)), "sk", AttributeValue.fromS(sk)));
        }
        QueryResponse response = dynamo.query(query.build());
        List<RejectedRecord> items = response.items().stream().map(DynamoRejectStore::fromItem).toList();
        String token = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                        response.lastEvaluatedKey().get("sk").s().getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page(items, token);
    }

    /** Reads the keys with consistent BatchGetItem requests (100 keys each, unprocessed keys retried). */
    @Override
    public List<RejectedRecord> find(String stream, LocalDate day, Collection<String> keys) {
        List<Map<String, AttributeValue>> pending = new ArrayList<>();
        for (String key : new TreeSet<>(keys)) {
            pending.add(Map.of("pk", AttributeValue.fromS(partition(stream, day)), "sk", AttributeValue.fromS(key)));
        }
        List<RejectedRecord> found = new ArrayList<>();
        int retries = 0;
        while (!pending.isEmpty()) {
            List<Map<String, AttributeValue>> chunk = new ArrayList<>(pending.subList(0, Math.min(100, pending.size())));
            pending.subList(0, chunk.size()).clear();
            BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(
                    Map.of(table, KeysAndAttributes.builder().keys(chunk).consistentRead(true).build())).build());
            response.responses().getOrDefault(table, List.of()).stream().filter(item -> !item.containsKey(RESOLVED_AT))
                    .forEach(item -> found.add(fromItem(item)));
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
            if (unprocessed != null && unprocessed.hasKeys() && !unprocessed.keys().isEmpty()) {
                if (++retries > MAX_ATTEMPTS) {
                    throw new IllegalStateException("rejects could not be read: " + unprocessed.keys().size() + " keys unprocessed");
                }
                pending.addAll(unprocessed.keys());
            }
        }
        found.sort(java.util.Comparator.comparing(RejectedRecord::key));
        return found;
    }

    /** Sets {@code resolvedAt} and moves the expiry to a week after it (only on a reject still kept). */
    @Override
    public void resolve(RejectedRecord reject, Instant resolvedAt) {
        Map<String, AttributeValue> item = toItem(reject);
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                    .updateExpression("SET #r = :r, #t = :t")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#r", RESOLVED_AT, "#t", "ttl"))
                    .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(resolvedAt.toString()),
                            ":t", AttributeValue.fromN(Long.toString(resolvedAt.plus(RESOLVED_RETENTION).getEpochSecond()))))
                    .build());
        } catch (ConditionalCheckFailedException expired) {
            // the reject expired meanwhile: nothing is left to resolve
        }
    }

    private static String partition(String stream, LocalDate day) {
        return stream + "#" + day;
    }

    private Map<String, AttributeValue> toItem(RejectedRecord reject) {
        Map<String, AttributeValue> item = new HashMap<>();
        LocalDate day = LocalDate.ofInstant(reject.arrivedAt(), ZoneOffset.UTC);
        item.put("pk", AttributeValue.fromS(partition(reject.stream(), day)));
        item.put("sk", AttributeValue.fromS(reject.key()));
        item.put("stream", AttributeValue.fromS(reject.stream()));
        item.put("shardId", AttributeValue.fromS(reject.shardId()));
        item.put("sequenceNumber", AttributeValue.fromS(reject.sequenceNumber()));
        item.put("eventIndex", AttributeValue.fromN(Integer.toString(reject.index())));
        if (reject.subRecord() != CloudEventReader.NOT_AGGREGATED) {
            item.put("subRecord", AttributeValue.fromN(Integer.toString(reject.subRecord())));
        }
        item.put("partitionKey", AttributeValue.fromS(reject.partitionKey() == null ? "" : WellFormedText.of(reject.partitionKey())));
        item.put("arrivedAt", AttributeValue.fromS(reject.arrivedAt().toString()));
        item.put("data", AttributeValue.fromS(reject.data().isEmpty() ? " " : WellFormedText.of(reject.data())));
        item.put("reasonCode", AttributeValue.fromS(reject.rejection().code()));
        item.put("reason", AttributeValue.fromS(reject.rejection().message()));
        item.put("ttl", AttributeValue.fromN(Long.toString(reject.arrivedAt().plus(retention).getEpochSecond())));
        return item;
    }

    private static RejectedRecord fromItem(Map<String, AttributeValue> item) {
        AttributeValue subRecord = item.get("subRecord");
        return new RejectedRecord(item.get("stream").s(), item.get("shardId").s(), item.get("sequenceNumber").s(),
                Integer.parseInt(item.get("eventIndex").n()), item.get("partitionKey").s(),
                Instant.parse(item.get("arrivedAt").s()), item.get("data").s(),
                Rejection.of(item.get("reasonCode").s(), item.get("reason").s()),
                subRecord == null ? CloudEventReader.NOT_AGGREGATED : Integer.parseInt(subRecord.n()));
    }
}

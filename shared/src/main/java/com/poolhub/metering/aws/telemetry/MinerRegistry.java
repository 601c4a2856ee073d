package com.poolhub.metering.aws.telemetry;

import com.poolhub.metering.sla.Page;
import com.poolhub.metering.sla.RegisteredMiner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The registry of known miners in the telemetry table: one item per miner in the partition
 * {@code MINERS} ({@code sk = minerId}), holding {@code firstSeen} and {@code firstHb} in epoch
 * seconds. Both only move earlier, by a conditional update, so recording is idempotent and
 * order-free. The partition lists every miner with a Query, never a table scan. A per-container
 * cache skips updates that could not move anything.
 */
public final class MinerRegistry {
    public static final String PARTITION = "MINERS";
    private static final String FIRST_SEEN = "firstSeen";
    private static final String FIRST_HEARTBEAT = "firstHb";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<String, Long> known = new ConcurrentHashMap<>();

    public MinerRegistry(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Moves the miner's first-seen and first-heartbeat times earlier where these are earlier.
     *
     * @param firstHeartbeat null when the events held no heartbeat
     * @throws software.amazon.awssdk.core.exception.SdkException when the registry could not be written
     */
    public void record(String minerId, Instant firstSeen, Instant firstHeartbeat) {
        moveEarlier(minerId, FIRST_SEEN, firstSeen.getEpochSecond());
        if (firstHeartbeat != null) {
            moveEarlier(minerId, FIRST_HEARTBEAT, firstHeartbeat.getEpochSecond());
        }
    }

    private void moveEarlier(String minerId, String attribute, long epochSecond) {
        String cacheKey = attribute + "#" + minerId;
        Long cached = known.get(cacheKey);
        if (cached != null && cached <= epochSecond) {
            return;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(minerId))
                    .updateExpression("SET #a = :v, miner = :m")
                    .conditionExpression("attribute_not_exists(#a) OR #a > :v")
                    .expressionAttributeNames(Map.of("#a", attribute))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(epochSecond)),
                            ":m", AttributeValue.fromS(minerId)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            known.merge(cacheKey, epochSecond, Math::min);
        } catch (ConditionalCheckFailedException alreadyEarlier) {
            AttributeValue stored = alreadyEarlier.hasItem() ? alreadyEarlier.item().get(attribute) : null;
            if (stored != null) {
                known.merge(cacheKey, Long.parseLong(stored.n()), Math::min);
            }
        }
    }

    /** One page of known miners, in id order. */
    public Page<RegisteredMiner> list(int limit, Map<String, String> from) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(PARTITION)))
                .limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (from != null) {
            query.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(PARTITION), "sk", AttributeValue.fromS(from.get("miner"))));
        }
        QueryResponse response = dynamo.query(query.build());
        List<RegisteredMiner> miners = new ArrayList<>();
        response.items().forEach(item -> miners.add(miner(item)));
        Map<String, String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Map.of("miner", response.lastEvaluatedKey().get("sk").s()) : null;
        return new Page<>(miners, next);
    }

    public Optional<RegisteredMiner> get(String minerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(minerId))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(miner(item));
    }

    private static Map<String, AttributeValue> key(String minerId) {
        return Map.of("pk", AttributeValue.fromS(PARTITION), "sk", AttributeValue.fromS(minerId));
    }

    private static RegisteredMiner miner(Map<String, AttributeValue> item) {
        return new RegisteredMiner(item.get("sk").s(), instant(item.get(FIRST_SEEN)), instant(item.get(FIRST_HEARTBEAT)));
    }

    private static Instant instant(AttributeValue value) {
        return value == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }
}

package com.poolhub.metering.aws.dynamodb.ledger;

import com.poolhub.metering.ingest.IdClaims;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link IdClaims} as one small item per id in the stream's aggregate table
 * ({@code pk = LEDGER#ID#stream#fingerprint}), written with a conditional PutItem: it succeeds when
 * no claim is there, when the claim is this content's, or when the claim is older than the window;
 * otherwise the claim's holder is the conflict. Claims expire a day after their window. One write
 * per event: this is what the stricter mode costs.
 */
public final class DynamoIdClaims implements IdClaims {
    private final DynamoDbClient dynamo;
    private final String table;
    private final String stream;
    private final Duration window;
    private final Clock clock;
    private final ExecutorService writers;

    public DynamoIdClaims(DynamoDbClient dynamo, String table, String stream, Duration window, Clock clock,
                          ExecutorService writers) {
        this.dynamo = dynamo;
        this.table = table;
        this.stream = stream;
        this.window = window;
        this.clock = clock;
        this.writers = writers;
    }

    /** What makes two claims the same: the id and the content. */
    private record Identity(long fingerprint, long content) {
        Identity(Claim claim) {
            this(claim.fingerprint(), claim.content());
        }
    }

    @Override
    public Result claim(List<Claim> claims) {
        // repeats within the batch share one write and its outcome; the store counts them once
        Map<Identity, Integer> firstOf = new HashMap<>();
        for (int i = 0; i < claims.size(); i++) {
            firstOf.putIfAbsent(new Identity(claims.get(i)), i);
        }
        Map<Integer, String> conflicts = new ConcurrentHashMap<>();
        Set<Integer> failed = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int index : firstOf.values()) {
            Claim claim = claims.get(index);
            writes.add(CompletableFuture.runAsync(() -> {
                try {
                    put(claim);
                } catch (ConditionalCheckFailedException held) {
                    AttributeValue first = held.hasItem() ? held.item().get("first") : null;
                    conflicts.put(index, first == null ? "another event" : first.s());
                } catch (SdkException e) {
                    failed.add(index);
                }
            }, writers));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        Map<Integer, String> allConflicts = new HashMap<>();
        Set<Integer> allFailed = new java.util.HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            int first = firstOf.get(new Identity(claims.get(i)));
            if (conflicts.containsKey(first)) {
                allConflicts.put(i, conflicts.get(first));
            }
            if (failed.contains(first)) {
                allFailed.add(i);
            }
        }
        return new Result(Map.copyOf(allConflicts), Set.copyOf(allFailed));
    }

    private void put(Claim claim) {
        long now = clock.millis();
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS(LedgerLayout.PREFIX + "ID#" + stream + "#" + Long.toHexString(claim.fingerprint())),
                "sk", AttributeValue.fromS("ID"),
                "content", AttributeValue.fromN(Long.toString(claim.content())),
                "first", AttributeValue.fromS(claim.description()),
                "claimedAt", AttributeValue.fromN(Long.toString(now)),
                "ttl", AttributeValue.fromN(Long.toString((now + window.toMillis()) / 1000 + 86_400)));
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk) OR content = :content OR claimedAt < :cutoff")
                .expressionAttributeValues(Map.of(":content", item.get("content"),
                        ":cutoff", AttributeValue.fromN(Long.toString(now - window.toMillis()))))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
    }
}

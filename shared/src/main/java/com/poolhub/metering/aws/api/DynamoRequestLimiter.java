package com.poolhub.metering.aws.api;

import com.poolhub.metering.api.RequestLimiter;
import com.poolhub.metering.quota.GcraBucket;
import com.poolhub.metering.quota.RateLimit;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Each API key's request bucket as one item of the API keys table ({@code pk = RATE#{keyId}},
 * {@code sk = BUCKET}): the bucket's theoretical arrival time ({@link GcraBucket}, exact integers) in
 * {@code tat}, the rate it is counted at in {@code pm}, and a {@code ttl} a day after the bucket would
 * be full again. A take is one conditional UpdateItem: from an idle bucket it sets the TAT to
 * now + cost, from a busy one it adds the cost; the path is the one the container last saw, and a
 * failed condition hands back the stored TAT, so a wrong guess costs one more request and a refusal
 * needs no read. A TAT only grows, so the last one seen is a lower bound: a request it already
 * refuses is refused here without a request, which keeps a flooding key from costing a write per
 * request. A changed rate starts the bucket again, full.
 */
public final class DynamoRequestLimiter implements RequestLimiter {
    static final String PREFIX = "RATE#";
    static final String SORT = "BUCKET";
    private static final int MAX_ATTEMPTS = 3;
    private static final int CACHED_KEYS = 10_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<String, BigInteger> seen = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BigInteger> eldest) {
            return size() > CACHED_KEYS;
        }
    });

    public DynamoRequestLimiter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Duration> take(String key, RateLimit limit, long cost, Instant now) {
        GcraBucket bucket = new GcraBucket(limit);
        long tokens = Math.max(1, Math.min(cost, limit.burst()));
        long nowMillis = now.toEpochMilli();
        String cacheKey = key + "#" + limit.perMinute() + "/" + limit.burst();
        BigInteger known = seen.get(cacheKey);
        GcraBucket.Take local = bucket.take(known, nowMillis, tokens);
        if (!local.granted()) {
            return Optional.of(local.retryAfter());
        }
        boolean busy = !local.fromIdle();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                UpdateItemResponse response = dynamo.updateItem(busy ? addTo(key, bucket, nowMillis, tokens)
                        : start(key, bucket, nowMillis, tokens));
                seen.put(cacheKey, new BigInteger(response.attributes().get("tat").n()));
                return Optional.empty();
            } catch (ConditionalCheckFailedException failed) {
                Map<String, AttributeValue> old = failed.hasItem() ? failed.item() : Map.of();
                boolean sameRate = old.containsKey("pm") && Long.parseLong(old.get("pm").n()) == limit.perMinute();
                BigInteger stored = sameRate && old.containsKey("tat") ? new BigInteger(old.get("tat").n()) : null;
                GcraBucket.Take take = bucket.take(stored, nowMillis, tokens);
                if (stored != null) {
                    seen.put(cacheKey, stored);
                }
                if (!take.granted()) {
                    return Optional.of(take.retryAfter());
                }
                busy = !take.fromIdle();
            }
        }
        throw new IllegalStateException("the rate bucket of key " + key + " changed under every attempt");
    }

    /** From an idle bucket (absent, full, or counted at another rate): the TAT becomes now + cost. */
    private UpdateItemRequest start(String key, GcraBucket bucket, long nowMillis, long tokens) {
        BigInteger now = bucket.ticks(nowMillis);
        BigInteger next = now.add(bucket.interval().multiply(BigInteger.valueOf(tokens)));
        return request(key).updateExpression("SET tat = :next, pm = :pm, #ttl = :ttl")
                .conditionExpression("attribute_not_exists(tat) OR tat <= :now OR pm <> :pm")
                .expressionAttributeValues(Map.of(":next", number(next), ":now", number(now),
                        ":pm", AttributeValue.fromN(Long.toString(bucket.rate().perMinute())), ":ttl", ttl(bucket, nowMillis)))
                .build();
    }

    /** To a busy bucket with room: the cost is added to its TAT. */
    private UpdateItemRequest addTo(String key, GcraBucket bucket, long nowMillis, long tokens) {
        BigInteger now = bucket.ticks(nowMillis);
        return request(key).updateExpression("SET tat = tat + :cost, #ttl = :ttl")
                .conditionExpression("pm = :pm AND tat > :now AND tat <= :latest")
                .expressionAttributeValues(Map.of(":cost", number(bucket.interval().multiply(BigInteger.valueOf(tokens))),
                        ":now", number(now), ":latest", number(bucket.latestStart(nowMillis, tokens)),
                        ":pm", AttributeValue.fromN(Long.toString(bucket.rate().perMinute())), ":ttl", ttl(bucket, nowMillis)))
                .build();
    }

    private UpdateItemRequest.Builder request(String key) {
        return UpdateItemRequest.builder().tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(PREFIX + key), "sk", AttributeValue.fromS(SORT)))
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .returnValues(ReturnValue.UPDATED_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    }

    /** A day after an emptied bucket would be full again. */
    private static AttributeValue ttl(GcraBucket bucket, long nowMillis) {
        long refillSeconds = bucket.rate().burst() * 60 / bucket.rate().perMinute() + 1;
        return AttributeValue.fromN(Long.toString(nowMillis / 1000 + refillSeconds + 86_400));
    }

    private static AttributeValue number(BigInteger value) {
        return AttributeValue.fromN(value.toString());
    }
}

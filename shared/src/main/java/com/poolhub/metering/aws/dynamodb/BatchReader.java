package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.aws.RetryPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Consistent reads of many items by key with BatchGetItem: 100 keys a request, unprocessed keys
 * retried with exponential backoff, and whatever is still unprocessed (or failed) reported per key
 * rather than dropped.
 */
public final class BatchReader {
    static final int MAX_KEYS_PER_REQUEST = 100;
    private static final int MAX_ATTEMPTS = 6;

    private final DynamoDbClient dynamo;

    public BatchReader(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /** Items found, by their key attributes, and the keys that could not be read with the cause. */
    public record Result(Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items,
                         Map<Map<String, AttributeValue>, Exception> unprocessed) {
        /** The items found, or {@code failure} of the first unprocessed key's cause when any key went unread. */
        public Map<Map<String, AttributeValue>, Map<String, AttributeValue>> itemsOr(
                java.util.function.Function<Exception, ? extends RuntimeException> failure) {
            if (!unprocessed.isEmpty()) {
                throw failure.apply(unprocessed.values().iterator().next());
            }
            return items;
        }
    }

    public Result read(String table, Set<Map<String, AttributeValue>> keys) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = new HashMap<>();
        Map<Map<String, AttributeValue>, Exception> unprocessed = new HashMap<>();
        if (keys.isEmpty()) {
            return new Result(found, unprocessed);
        }
        Set<String> keyNames = keys.iterator().next().keySet();
        List<Map<String, AttributeValue>> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += MAX_KEYS_PER_REQUEST) {
            List<Map<String, AttributeValue>> chunk = all.subList(from, Math.min(all.size(), from + MAX_KEYS_PER_REQUEST));
            readChunk(table, chunk, keyNames, found, unprocessed);
        }
        return new Result(found, unprocessed);
    }

    private void readChunk(String table, List<Map<String, AttributeValue>> chunk, Set<String> keyNames,
                           Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found,
                           Map<Map<String, AttributeValue>, Exception> unprocessed) {
        List<Map<String, AttributeValue>> pending = new ArrayList<>(chunk);
        Exception lastCause = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                RetryPolicy.SERVICE_CALLS.sleep(attempt);
            }
            try {
                BatchGetItemResponse response = dynamo.batchGetItem(BatchGetItemRequest.builder()
                        .requestItems(Map.of(table, KeysAndAttributes.builder().keys(pending).consistentRead(true).build()))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build());
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    Map<String, AttributeValue> itemKey = new HashMap<>();
                    keyNames.forEach(name -> itemKey.put(name, item.get(name)));
                    found.put(itemKey, item);
                }
                KeysAndAttributes left = response.unprocessedKeys().get(table);
                pending = left == null ? List.of() : new ArrayList<>(left.keys());
                lastCause = null;
            } catch (SdkException e) {
                lastCause = e;
                if (!RetryPolicy.retryable(e)) {
                    break;
                }
            }
        }
        for (Map<String, AttributeValue> key : pending) {
            unprocessed.put(key, lastCause != null ? lastCause
                    : new IllegalStateException("keys still unprocessed after " + MAX_ATTEMPTS + " attempts"));
        }
    }
}

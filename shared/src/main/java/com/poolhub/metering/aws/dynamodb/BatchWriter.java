package com.poolhub.metering.aws.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes many items with BatchWriteItem: 25 requests a call, unprocessed items (and calls that
 * fail) retried with exponential backoff, and whatever is still unwritten after the last attempt
 * handed back to the caller rather than dropped.
 */
public final class BatchWriter {
    static final int MAX_ITEMS_PER_REQUEST = 25;

    private final DynamoDbClient dynamo;
    private final int maxAttempts;

    public BatchWriter(DynamoDbClient dynamo, int maxAttempts) {
        this.dynamo = dynamo;
        this.maxAttempts = maxAttempts;
    }

    /** Writes the requests; returns those still unwritten after the retries (empty when all landed). */
    public List<WriteRequest> write(String table, List<WriteRequest> requests) {
        List<WriteRequest> unwritten = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += MAX_ITEMS_PER_REQUEST) {
            unwritten.addAll(writeChunk(table, requests.subList(from, Math.min(requests.size(), from + MAX_ITEMS_PER_REQUEST))));
        }
        return unwritten;
    }

    private List<WriteRequest> writeChunk(String table, List<WriteRequest> chunk) {
        List<WriteRequest> pending = new ArrayList<>(chunk);
        for (int attempt = 0; attempt < maxAttempts && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                Backoff.sleep(attempt);
            }
            try {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                pending = new ArrayList<>(response.unprocessedItems().getOrDefault(table, List.of()));
            } catch (SdkException e) {
                // the whole call failed: keep everything pending and try again
            }
        }
        return pending;
    }
}

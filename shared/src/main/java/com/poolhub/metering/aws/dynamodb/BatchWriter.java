package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.aws.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes many items with BatchWriteItem: 25 requests a call, unprocessed items (and calls that
 * fail retryably, by {@link RetryPolicy}) retried with backoff, and whatever is still unwritten after
 * the last attempt handed back to the caller rather than dropped (the last failure logged). A call
 * that can never succeed (validation, access denied, no such table) is thrown at once.
 */
public final class BatchWriter {
    static final int MAX_ITEMS_PER_REQUEST = 25;
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final DynamoDbClient dynamo;
    private final int maxAttempts;

    public BatchWriter(DynamoDbClient dynamo, int maxAttempts) {
        this.dynamo = dynamo;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Writes the requests; returns those still unwritten after the retries (empty when all landed).
     * Throws the SDK's exception when a call fails in a way no retry can mend.
     */
    public List<WriteRequest> write(String table, List<WriteRequest> requests) {
        List<WriteRequest> unwritten = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += MAX_ITEMS_PER_REQUEST) {
            unwritten.addAll(writeChunk(table, requests.subList(from, Math.min(requests.size(), from + MAX_ITEMS_PER_REQUEST))));
        }
        return unwritten;
    }

    private List<WriteRequest> writeChunk(String table, List<WriteRequest> chunk) {
        List<WriteRequest> pending = new ArrayList<>(chunk);
        SdkException cause = null;
        for (int attempt = 0; attempt < maxAttempts && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                RetryPolicy.SERVICE_CALLS.sleep(attempt);
            }
            try {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                pending = new ArrayList<>(response.unprocessedItems().getOrDefault(table, List.of()));
                cause = null;
            } catch (SdkException e) {
                if (!RetryPolicy.retryable(e)) {
                    throw e;
                }
                cause = e;
            }
        }
        if (!pending.isEmpty()) {
            LOG.warn("{} writes to {} still unprocessed after {} attempts: {}", pending.size(), table, maxAttempts,
                    cause == null ? "unprocessed items" : cause.toString());
        }
        return pending;
    }
}

package com.poolhub.metering.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.dynamodb.BatchWriter;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.PublishException;
import com.poolhub.metering.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** The retry loops stop at once on failures no retry can mend, retry the others, and keep the last cause. */
class RetryLoopsTest {
    private static final DomainEvent EVENT = new DomainEvent("QuotaExceeded", Json.object().put("tenant", "acme"),
            Instant.parse("2026-11-22T10:00:00Z"));

    @Test
    void classification_followsTheSdk() {
        assertFalse(RetryPolicy.retryable(eventBridge(400, "AccessDeniedException")));
        assertFalse(RetryPolicy.retryable(eventBridge(400, "ValidationException")));
        assertFalse(RetryPolicy.retryable(dynamo(400, "ResourceNotFoundException")));
        assertTrue(RetryPolicy.retryable(dynamo(400, "ThrottlingException")));
        assertTrue(RetryPolicy.retryable(dynamo(400, "ProvisionedThroughputExceededException")));
        assertTrue(RetryPolicy.retryable(eventBridge(500, "InternalFailure")));
        assertTrue(RetryPolicy.retryable(SdkClientException.create("connection reset")));
        assertTrue(RetryPolicy.retryableCode("ThrottlingException"));
        assertFalse(RetryPolicy.retryableCode("MalformedDetail"));
    }

    @Test
    void publisher_accessDenied_failsAtOnceWithTheCause() {
        EventBridgeException denied = eventBridge(400, "AccessDeniedException");
        AtomicInteger calls = new AtomicInteger();
        EventBridgePublisher publisher = new EventBridgePublisher(bus(calls, () -> {
            throw denied;
        }), "poolhub");

        PublishException failure = assertThrows(PublishException.class, () -> publisher.publish(List.of(EVENT)));

        assertEquals(1, calls.get());
        assertSame(denied, failure.getCause());
        assertEquals(1, failure.unpublished().size());
    }

    @Test
    void publisher_throttling_isRetriedAndTheLastCauseKept() {
        EventBridgeException throttled = eventBridge(400, "ThrottlingException");
        AtomicInteger calls = new AtomicInteger();
        EventBridgePublisher publisher = new EventBridgePublisher(bus(calls, () -> {
            throw throttled;
        }), "poolhub");

        PublishException failure = assertThrows(PublishException.class, () -> publisher.publish(List.of(EVENT)));

        assertEquals(5, calls.get());
        assertSame(throttled, failure.getCause());
    }

    @Test
    void publisher_entryRefusedForGood_isNotResent() {
        AtomicInteger calls = new AtomicInteger();
        EventBridgePublisher publisher = new EventBridgePublisher(bus(calls, () -> PutEventsResponse.builder()
                .failedEntryCount(1).entries(PutEventsResultEntry.builder().errorCode("MalformedDetail").build()).build()),
                "poolhub");

        assertThrows(PublishException.class, () -> publisher.publish(List.of(EVENT)));
        assertEquals(1, calls.get());
    }

    @Test
    void batchWriter_missingTable_failsAtOnce_throttlingIsRetried() {
        DynamoDbException missing = dynamo(400, "ResourceNotFoundException");
        AtomicInteger calls = new AtomicInteger();
        BatchWriter writer = new BatchWriter(table(calls, missing), 4);
        assertSame(missing, assertThrows(DynamoDbException.class, () -> writer.write("t", List.of(put()))));
        assertEquals(1, calls.get());

        AtomicInteger throttledCalls = new AtomicInteger();
        BatchWriter throttled = new BatchWriter(table(throttledCalls, dynamo(400, "ThrottlingException")), 4);
        assertEquals(1, throttled.write("t", List.of(put())).size(), "handed back, not dropped");
        assertEquals(4, throttledCalls.get());
    }

    private static WriteRequest put() {
        return WriteRequest.builder().putRequest(PutRequest.builder()
                .item(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("b"))).build()).build();
    }

    private static EventBridgeException eventBridge(int status, String code) {
        return (EventBridgeException) EventBridgeException.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    private static DynamoDbException dynamo(int status, String code) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    private static EventBridgeClient bus(AtomicInteger calls, Supplier<PutEventsResponse> answer) {
        return new EventBridgeClient() {
            @Override
            public PutEventsResponse putEvents(PutEventsRequest request) {
                calls.incrementAndGet();
                return answer.get();
            }

            @Override
            public String serviceName() {
                return "events";
            }

            @Override
            public void close() {
            }
        };
    }

    private static DynamoDbClient table(AtomicInteger calls, RuntimeException failure) {
        return new DynamoDbClient() {
            @Override
            public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
                calls.incrementAndGet();
                throw failure;
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
    }
}

package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.local.DynamoDbFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.testing.KinesisEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Bad input never blocks the shard: it is kept with its reason and the rest of the batch goes on. */
class UsageIngestRejectsTest {
    private final IngestHarness harness = new IngestHarness();

    private static SentEvent gpu(String id, String quantity, Instant time) {
        return new SentEvent("//nodes/n1", id, "acme", "GPU", "compute_seconds", quantity, time);
    }

    @Test
    void handle_whenPoisonRecordsSitMidBatch_keepsThemWithReasonsAndCountsTheRest() {
        Instant t = Instant.parse("2026-11-22T11:30:10Z");
        SentEvent good1 = gpu("g1", "10", t);
        SentEvent good2 = gpu("g2", "0.000000001", t);
        SentEvent good3 = gpu("g3", "5.5", t);
        String badQuantityInArray = "[" + good2.json() + ","
                + gpu("bad-q", "-1", t).json() + "]";
        KinesisEvent batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", good1.json())
                .record("acme", "{not json")
                .record("acme", badQuantityInArray)
                .record("acme", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00})
                .record("acme", gpu("late", "1", Instant.parse("2026-10-01T00:00:00Z")).json())
                .record("acme", gpu("future", "1", Instant.parse("2026-11-22T12:06:00Z")).json())
                .record("acme", good3.json())
                .build();

        StreamsEventResponse response = harness.function().handleRequest(batch, null);

        assertTrue(response.getBatchItemFailures().isEmpty(), "bad records are never retried");
        assertEquals(IngestHarness.oracle(List.of(good1, good2, good3)), harness.aggregates());
        Map<String, String> reasons = new TreeMap<>();
        for (Map<String, AttributeValue> reject : harness.rejects()) {
            reasons.put(reject.get("sequenceNumber").s().substring(36) + "/" + reject.get("eventIndex").n(),
                    reject.get("reasonCode").s());
        }
        assertEquals(Map.of("0002/0", "MALFORMED_JSON", "0003/1", "INVALID_QUANTITY", "0004/0", "MALFORMED_RECORD",
                "0005/0", "TOO_LATE", "0006/0", "IN_FUTURE"), reasons);
    }

    @Test
    void handle_whenEventIsLateButWithinLimit_countsItInItsOwnWindow() {
        SentEvent late = gpu("old", "7.25", Instant.parse("2026-10-20T03:04:05Z"));
        SentEvent current = gpu("new", "1", Instant.parse("2026-11-22T11:59:59Z"));

        harness.function().handleRequest(KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", late.json()).record("acme", current.json()).build(), null);

        assertEquals(Map.of("acme#MINUTE|2026-10-20T03:04:00Z#GPU#compute_seconds", "7.25/1",
                "acme#MINUTE|2026-11-22T11:59:00Z#GPU#compute_seconds", "1/1"), harness.aggregates());
    }

    @Test
    void handle_whenRejectsCannotBeSaved_reportsTheirRecordsForRetryInsteadOfLosingThem() {
        SentEvent good = gpu("ok", "3", Instant.parse("2026-11-22T11:00:00Z"));
        KinesisEvent batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", good.json())
                .record("acme", "{\"specversion\":\"0.3\"}")
                .build();
        try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(LocalAws.dynamoDbEndpoint())) {
            proxy.failAlways("BatchWriteItem", DynamoDbFaultProxy.Failure.INTERNAL_ERROR);

            StreamsEventResponse response = harness.function(LocalAws.dynamoDb(proxy.endpoint())).handleRequest(batch, null);

            assertEquals(1, response.getBatchItemFailures().size());
            assertEquals(batch.getRecords().get(1).getKinesis().getSequenceNumber(),
                    response.getBatchItemFailures().get(0).getItemIdentifier());
            assertEquals(IngestHarness.oracle(List.of(good)), harness.aggregates());
        }
    }
}

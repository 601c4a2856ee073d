package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.KplRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * KPL-aggregated records through the usage ingest handler, beside plain JSON records: every packed
 * event counted exactly once, a bad sub-record kept with its sub-record index, a corrupt aggregate
 * kept whole with its reason, and nothing retried.
 */
class UsageIngestKplTest {
    private static final Instant T = Instant.parse("2026-11-22T11:40:00Z");
    private final IngestHarness harness = new IngestHarness();

    private static SentEvent gpu(String id, String quantity) {
        return new SentEvent("//nodes/n7", id, "acme", "GPU", "compute_seconds", quantity, T);
    }

    private static SentEvent tokens(String id, String quantity) {
        return new SentEvent("//nodes/n8", id, "globex", "INFERENCE", "tokens", quantity, T.plusSeconds(90));
    }

    @Test
    void handle_whenBatchMixesPlainAndAggregatedRecords_countsEveryEventOnceAndKeepsBadOnesWithIndex() {
        List<SentEvent> counted = new ArrayList<>();
        SentEvent plain = gpu("p1", "2.5");
        counted.add(plain);
        List<SentEvent> packedArray = List.of(tokens("k2", "100"), tokens("k3", "250"));
        SentEvent packedSingle = gpu("k1", "0.000000001");
        counted.add(packedSingle);
        counted.addAll(packedArray);
        SentEvent afterBad = gpu("k4", "7");
        counted.add(afterBad);
        byte[] aggregated = KplRecords.aggregate()
                .add("acme", packedSingle.json())
                .add("globex", "[" + packedArray.get(0).json() + "," + packedArray.get(1).json() + "]")
                .add("acme", "[" + gpu("k-bad", "-3").json() + "]")
                .add("acme", "{broken")
                .add("acme", afterBad.json())
                .build();
        byte[] corrupt = KplRecords.aggregate().add("acme", gpu("lost", "9").json()).build();
        corrupt[corrupt.length - 3] ^= 0x55;
        KinesisEvent batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", plain.json())
                .record("acme", aggregated)
                .record("acme", corrupt)
                .build();

        StreamsEventResponse response = harness.function().handleRequest(batch, null);

        assertTrue(response.getBatchItemFailures().isEmpty(), "bad input is never retried");
        assertEquals(IngestHarness.oracle(counted), harness.aggregates());
        Map<String, String> reasons = new TreeMap<>();
        for (Map<String, AttributeValue> reject : harness.rejects()) {
            AttributeValue subRecord = reject.get("subRecord");
            reasons.put(reject.get("sequenceNumber").s().substring(36) + "/"
                    + (subRecord == null ? "-" : subRecord.n()) + "/" + reject.get("eventIndex").n(),
                    reject.get("reasonCode").s());
        }
        assertEquals(Map.of("0002/2/0", "INVALID_QUANTITY", "0002/3/0", "MALFORMED_JSON",
                "0003/-/0", "KPL_CHECKSUM_MISMATCH"), reasons);
        String keptCorrupt = harness.rejects().stream()
                .filter(r -> r.get("reasonCode").s().equals("KPL_CHECKSUM_MISMATCH"))
                .findFirst().orElseThrow().get("data").s();
        assertTrue(keptCorrupt.startsWith("base64:"), "binary data is kept whole, in Base64");
    }

    @Test
    void handle_whenAggregatedBatchRedeliveredAndEventsAlsoSentPlain_countsOnce() {
        List<SentEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(i % 2 == 0 ? gpu("r" + i, i + ".25") : tokens("r" + i, Integer.toString(i)));
        }
        KplRecords first = KplRecords.aggregate();
        KplRecords second = KplRecords.aggregate();
        for (int i = 0; i < events.size(); i++) {
            (i < 40 ? first : second).add("pk" + (i % 3), events.get(i).json());
        }
        KinesisEvent batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("pk0", first.build())
                .record("pk1", second.build())
                .build();
        KinesisEvent resentPlain = KinesisEvents.shard("shardId-000000000001", 1)
                .record("pk0", events.get(5).json())
                .record("pk0", events.get(45).json())
                .build();
        UsageIngestFunction function = harness.function();

        function.handleRequest(batch, null);
        function.handleRequest(resentPlain, null);
        function.handleRequest(batch, null);

        assertEquals(IngestHarness.oracle(events), harness.aggregates());
        assertTrue(harness.rejects().isEmpty());
    }
}

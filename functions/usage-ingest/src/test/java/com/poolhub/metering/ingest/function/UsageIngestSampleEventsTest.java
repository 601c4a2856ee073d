package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;

/** The sample events in {@code events/} (the ones {@code sam local invoke} uses) through the handler. */
class UsageIngestSampleEventsTest {
    private final IngestHarness harness = new IngestHarness();

    @ParameterizedTest
    @Event(value = "usage-ingest-valid.json", type = KinesisEvent.class)
    void validSample_isCountedExactly(KinesisEvent event) {
        StreamsEventResponse response = harness.function().handleRequest(event, null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(Map.of(
                "acme#MINUTE|2026-11-22T11:58:00Z#GPU#compute_seconds", "120.5/1",
                "acme#MINUTE|2026-11-22T11:58:00Z#INFERENCE#tokens", "15000/1",
                "globex#MINUTE|2026-11-22T11:59:00Z#MEMORY#gb_hours", "0.25/1",
                "globex#MINUTE|2026-11-22T11:59:00Z#NETWORK#gb", "1.000000001/1"), harness.aggregates());
    }

    @Test
    void duplicatesSample_countsTheResentEventOnce() {
        KinesisEvent event = EventLoader.loadKinesisEvent("usage-ingest-duplicates.json");

        harness.function().handleRequest(event, null);

        assertEquals(Map.of("acme#MINUTE|2026-11-22T11:50:00Z#GPU#compute_seconds", "90/2"), harness.aggregates());
    }

    @Test
    void malformedSample_keepsRejectsAndCountsTheRest() {
        KinesisEvent event = EventLoader.loadKinesisEvent("usage-ingest-malformed.json");

        StreamsEventResponse response = harness.function().handleRequest(event, null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(Map.of("acme#MINUTE|2026-11-22T11:40:00Z#CPU#compute_seconds", "3/1",
                "acme#MINUTE|2026-11-22T11:40:00Z#GPU#compute_seconds", "10/1"), harness.aggregates());
        Map<String, String> reasons = new TreeMap<>();
        harness.rejects().forEach(r -> reasons.put(r.get("sequenceNumber").s().substring(38), r.get("reasonCode").s()));
        assertEquals(Map.of("22", "MALFORMED_JSON", "23", "INVALID_UNIT", "24", "INVALID_QUANTITY"), reasons);
    }
}

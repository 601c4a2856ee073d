package com.poolhub.metering.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Rules on a moto bus deliver matching events to a subscriber's queue; the fault proxy fails chosen entries. */
class BusSubscriptionTest {
    private static PutEventsRequestEntry entry(String bus, String source, String detailType, String detail) {
        return PutEventsRequestEntry.builder().eventBusName(bus).source(source).detailType(detailType).detail(detail)
                .time(Instant.parse("2026-11-22T10:15:30Z")).build();
    }

    @Test
    void aRuleDeliversOnlyTheEventsItsPatternMatches_asTheEnvelopeASubscriberReads() {
        String bus = BusSubscription.freshBus("bus-test");
        try (BusSubscription anomalies = BusSubscription.toDetailType(bus, "UsageAnomalyDetected");
             BusSubscription acme = BusSubscription.to(bus, "{\"detail\":{\"tenant\":[\"acme\"]}}");
             BusSubscription everything = BusSubscription.toEverything(bus);
             EventBridgeClient client = LocalAws.eventBridge()) {
            client.putEvents(p -> p.entries(
                    entry(bus, "poolhub", "UsageAnomalyDetected", "{\"tenant\":\"acme\",\"units\":\"12.50\"}"),
                    entry(bus, "poolhub", "QuotaThresholdCrossed", "{\"tenant\":\"globex\"}"),
                    entry(bus, "elsewhere", "UsageAnomalyDetected", "{\"tenant\":\"initech\"}")));

            List<BusSubscription.Event> read = anomalies.drain();
            assertEquals(1, read.size());
            BusSubscription.Event event = read.get(0);
            assertEquals("poolhub", event.source());
            assertEquals("UsageAnomalyDetected", event.detailType());
            assertEquals("12.50", event.detail().get("units").asText());
            assertEquals(Instant.parse("2026-11-22T10:15:30Z"), event.time());
            assertTrue(anomalies.drain().isEmpty(), "read once, then the queue is empty");
            assertEquals(List.of("UsageAnomalyDetected"), acme.received().stream().map(BusSubscription.Event::detailType).toList());
            assertEquals(3, everything.received().size());
        }
    }

    @Test
    void theFaultProxyFailsTheChosenEntries_andDeliversTheRest() {
        String bus = BusSubscription.freshBus("bus-test");
        try (BusSubscription everything = BusSubscription.toEverything(bus);
             EventBridgeFaultProxy proxy = EventBridgeFaultProxy.start();
             EventBridgeClient client = LocalAws.eventBridge(proxy.endpoint())) {
            proxy.failNextEntries(2);
            PutEventsResponse response = client.putEvents(p -> p.entries(
                    entry(bus, "poolhub", "A", "{\"n\":1}"), entry(bus, "poolhub", "B", "{\"n\":2}"),
                    entry(bus, "poolhub", "C", "{\"n\":3}")));

            assertEquals(2, response.failedEntryCount());
            assertEquals("ThrottlingException", response.entries().get(0).errorCode());
            assertEquals("ThrottlingException", response.entries().get(1).errorCode());
            assertTrue(response.entries().get(2).eventId() != null);
            assertEquals(List.of("C"), everything.received().stream().map(BusSubscription.Event::detailType).toList());
            assertEquals(2, proxy.failedEntries());
        }
    }
}

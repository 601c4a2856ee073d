package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.local.KinesisEventSource;
import com.poolhub.metering.local.LocalAws;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * End to end through a real Kinesis protocol: records put on the {@code usage-events} stream of
 * kinesis-mock, read back with GetRecords as Lambda's event source does, handled, and counted.
 */
class UsageIngestKinesisTest {
    @Test
    void recordsPutOnTheStream_areCountedOnceEvenWhenProducerResends() {
        assumeTrue(LocalAws.kinesisAvailable(), "Node.js is needed to run kinesis-mock");
        IngestHarness harness = new IngestHarness();
        String stream = "usage-events";
        List<SentEvent> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.add(new SentEvent("//nodes/k" + (i % 3), "kin-" + i, i % 2 == 0 ? "acme" : "globex",
                    i % 3 == 0 ? "INFERENCE" : "GPU", i % 3 == 0 ? "tokens" : "compute_seconds", i + ".5",
                    Instant.parse("2026-11-22T11:4" + (i % 10) + ":00Z")));
        }
        List<SentEvent> withResends = new ArrayList<>(sent);
        withResends.addAll(sent.subList(0, 15));
        try (KinesisClient kinesis = LocalAws.kinesis()) {
            List<PutRecordsRequestEntry> entries = withResends.stream().map(e -> PutRecordsRequestEntry.builder()
                    .partitionKey(e.tenant()).data(SdkBytes.fromUtf8String(e.json())).build()).toList();
            var put = kinesis.putRecords(b -> b.streamName(stream).records(entries));
            assertEquals(0, put.failedRecordCount());

            KinesisEventSource source = new KinesisEventSource(kinesis, stream, 25);
            UsageIngestFunction function = harness.function();
            int delivered = source.poll(event -> function.handleRequest(event, null));

            assertEquals(75, delivered);
            assertEquals(IngestHarness.oracle(sent), harness.aggregates());
        }
    }
}

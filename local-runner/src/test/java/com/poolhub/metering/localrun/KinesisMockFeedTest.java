package com.poolhub.metering.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.poolhub.metering.local.LocalAws;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** {@code serve --kinesis mock}: records put on kinesis-mock reach the ingest function and the API. */
class KinesisMockFeedTest {

    @Test
    void recordOnKinesisMock_isIngestedOnce_andReadThroughTheApi() {
        assumeTrue(LocalAws.kinesisAvailable(), "skipped: Node.js is needed for kinesis-mock");
        try (LocalSystem system = LocalSystem.start(Path.of("..", "template.yaml"));
             KinesisMockFeed feed = KinesisMockFeed.start(system, line -> { })) {
            feed.pollOnce();
            String tenant = "kmock-" + System.nanoTime();
            Instant at = Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.SECONDS);
            String event = "{\"specversion\": \"1.0\", \"id\": \"k-1\", \"source\": \"//nodes/n1\", \"type\": \"compute.usage.v1\","
                    + " \"subject\": \"" + tenant + "\", \"time\": \"" + at + "\", \"data\": {\"resource\": \"GPU\","
                    + " \"unit\": \"compute_seconds\", \"quantity\": \"7.25\"}}";
            KinesisClient kinesis = LocalAws.kinesis();
            for (int i = 0; i < 2; i++) {
                kinesis.putRecord(b -> b.streamName("usage-events").partitionKey(tenant).data(SdkBytes.fromUtf8String(event)));
            }

            assertEquals(2, feed.pollOnce());
            String key = system.issueKey("TENANT", tenant);
            var response = system.api().handle("GET", "/usage/" + tenant, Map.of("granularity", "MINUTE",
                    "from", at.minusSeconds(60).toString(), "to", at.plusSeconds(60).toString()),
                    Map.of("Authorization", "Bearer " + key), null);
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertEquals(true, response.getBody().contains("\"quantity\":\"7.25\""), response.getBody());
        }
    }
}

package com.poolhub.metering.aws.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.AttributeSizes;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.TelemetryEvent;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.TelemetryEventJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A miner sending 50 telemetry events a second for a whole hour, with one-second heartbeat buckets:
 * nothing is refused or lost, and no item of the telemetry table comes near DynamoDB's 400 KB limit.
 */
class BusyMinerLedgerTest {
    private static final Instant HOUR = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void aMinerAt50EventsASecondForAnHour_losesNothing_andNoItemApproachesTheItemLimit() {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbClient dynamo = LocalDynamo.client();
        BucketGrid grid = new BucketGrid(1);
        TelemetryIngestion ingestion = new TelemetryIngestion(tables.get(Table.TELEMETRY), tables.get(Table.REJECTS), grid,
                Duration.ofDays(35), Duration.ofDays(35), 4);
        IngestPipeline<TelemetryEvent, MinerHourKey> pipeline = ingestion.pipeline(dynamo, CLOCK);
        Random random = new Random(11);
        long applied = 0;
        long matches = 0;
        long outcomes = 0;
        for (int minute = 0; minute < 60; minute++) {
            KinesisEvents batch = KinesisEvents.shard("shardId-000000000000", minute * 1000L);
            for (int second = 0; second < 60; second++) {
                Instant t = HOUR.plusSeconds(minute * 60L + second);
                List<String> events = new ArrayList<>(50);
                events.add(TelemetryEventJson.heartbeat("hb-" + t, "busy-1", t, "BUSY", 8, 1).toString());
                for (int m = 0; m < 30; m++) {
                    events.add(TelemetryEventJson.match("m-" + t + "-" + m, "busy-1", t.plusMillis(m * 30L), "job-" + m,
                            Integer.toString(50 + random.nextInt(450))).toString());
                }
                for (int j = 0; j < 19; j++) {
                    events.add(TelemetryEventJson.job("j-" + t + "-" + j, "busy-1", t.plusMillis(j * 50L), "job-" + j,
                            j % 10 == 0 ? "FAILED" : "SUCCEEDED").toString());
                }
                matches += 30;
                outcomes += 19;
                batch.record("busy-1", "[" + String.join(",", events) + "]");
            }
            IngestReport report = pipeline.process(KinesisBatch.records(batch.build()));
            assertEquals(List.of(), report.failedSequenceNumbers());
            assertEquals(0, report.rejected());
            applied += report.eventsApplied();
        }
        assertEquals(180_000, applied);

        MinerHourCodec codec = ingestion.codec();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.get(Table.TELEMETRY)).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(MinerHourCodec.partition("busy-1")),
                        "sk", AttributeValue.fromS(MinerHourCodec.sortKey(HOUR))))).item();
        MinerHour hour = codec.decode(item);
        assertEquals(3600, hour.seen().cardinality(), "every one-second bucket has its heartbeat");
        assertEquals(3600, hour.up().cardinality());
        assertEquals(matches, hour.responses().count());
        assertEquals(outcomes, hour.succeeded() + hour.failed() + hour.timedOut());

        int largest = 0;
        for (Map<String, AttributeValue> stored : dynamo.scanPaginator(b -> b.tableName(tables.get(Table.TELEMETRY))).items()) {
            largest = Math.max(largest, AttributeSizes.ofItem(stored));
        }
        System.out.printf("busy miner: %d events in one hour, largest telemetry item %d bytes%n", applied, largest);
        assertTrue(largest < 200_000, "largest item " + largest + " bytes");
    }
}

package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.UsageEventJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class UsageIngestSmokeTest {
    @Test
    void ingest_countsEachEventOnce() {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbClient dynamo = LocalDynamo.client();
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
        var settings = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35), Duration.ofDays(35), 4);
        UsageIngestFunction function = new UsageIngestFunction(settings.pipeline(dynamo, clock));
        Instant t = Instant.parse("2026-11-22T11:59:10Z");
        KinesisEvent event = KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "1.5", t))
                .record("acme", UsageEventJson.gpuSeconds("e2", "acme", "2.25", t))
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "1.5", t))
                .build();
        StreamsEventResponse first = function.handleRequest(event, null);
        StreamsEventResponse again = function.handleRequest(event, null);
        assertEquals(0, first.getBatchItemFailures().size());
        assertEquals(0, again.getBatchItemFailures().size());
        var item = dynamo.getItem(b -> b.tableName(tables.get(Table.USAGE)).key(Map.of(
                "pk", AttributeValue.fromS("acme#MINUTE"),
                "sk", AttributeValue.fromS("2026-11-22T11:59:00Z#GPU#compute_seconds")))).item();
        assertEquals("3.75", item.get("quantity").n());
        assertEquals("2", item.get("events").n());
    }
}

package com.poolhub.metering.bench;

import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageEventDecoder;
import com.poolhub.metering.usage.UtcTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The naive per-record idempotent baseline: for every event, a conditional PutItem of an
 * idempotency marker and, when it is new, an UpdateItem that ADDs the quantity to its minute
 * counter. Correct for redeliveries and resends (not for a crash between the two writes), and
 * about two writes per event.
 */
final class NaiveIngest {
    private final DynamoDbClient dynamo;
    private final String markers;
    private final String counters;
    private final ExecutorService workers;
    private final CloudEventReader reader = new CloudEventReader();
    private final UsageEventDecoder decoder = new UsageEventDecoder();
    private final EventTimePolicy timePolicy;

    NaiveIngest(DynamoDbClient dynamo, String markers, String counters, ExecutorService workers,
                EventTimePolicy timePolicy) {
        this.dynamo = dynamo;
        this.markers = markers;
        this.counters = counters;
        this.workers = workers;
        this.timePolicy = timePolicy;
    }

    void process(List<StreamRecord> batch) {
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (StreamRecord record : batch) {
            for (CloudEventReader.Element element : reader.read(record.data())) {
                timePolicy.check(element.event().time());
                UsageEvent event = decoder.decode(element.event());
                work.add(CompletableFuture.runAsync(() -> apply(event), workers));
            }
        }
        CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
    }

    private void apply(UsageEvent event) {
        try {
            dynamo.putItem(b -> b.tableName(markers)
                    .item(Map.of("pk", AttributeValue.fromS("DEDUPE#" + Long.toHexString(event.fingerprint())),
                            "sk", AttributeValue.fromS("-")))
                    .conditionExpression("attribute_not_exists(pk)")
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException duplicate) {
            return;
        }
        dynamo.updateItem(b -> b.tableName(counters)
                .key(Map.of("pk", AttributeValue.fromS(event.tenant() + "#MINUTE"),
                        "sk", AttributeValue.fromS(UtcTimes.format(event.minuteKey().windowStart()) + "#"
                                + event.resource() + "#" + event.unit().wire())))
                .updateExpression("ADD quantity :q, events :one")
                .expressionAttributeValues(Map.of(":q", AttributeValue.fromN(event.quantity().toPlainString()),
                        ":one", AttributeValue.fromN("1")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }
}

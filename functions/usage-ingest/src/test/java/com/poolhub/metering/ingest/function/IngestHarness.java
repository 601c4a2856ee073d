package com.poolhub.metering.ingest.function;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerLayout;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.testing.LocalDynamo;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Fresh tables, a handler wired like production, and readers of what landed, for ingest tests. */
final class IngestHarness {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final Map<Table, String> tables = LocalDynamo.freshTables();
    final DynamoDbClient reader = LocalDynamo.client();

    UsageIngestion settings() {
        return new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 4);
    }

    TelemetryIngestion telemetrySettings() {
        return new TelemetryIngestion(tables.get(Table.TELEMETRY), tables.get(Table.REJECTS), new BucketGrid(60),
                Duration.ofDays(35), Duration.ofDays(35), 4);
    }

    UsageIngestFunction function(DynamoDbClient dynamo) {
        return new UsageIngestFunction(settings().pipeline(dynamo, CLOCK));
    }

    UsageIngestFunction function() {
        return function(LocalDynamo.client());
    }

    /** Every aggregate in the usage table (not the ledger) as {@code pk|sk -> quantity/events}. */
    Map<String, String> aggregates() {
        Map<String, String> result = new TreeMap<>();
        for (Map<String, AttributeValue> item : scan(tables.get(Table.USAGE))) {
            if (LedgerLayout.isLedger(item.get("pk").s())) {
                continue;
            }
            result.put(item.get("pk").s() + "|" + item.get("sk").s(),
                    new BigDecimal(item.get("quantity").n()).stripTrailingZeros().toPlainString()
                            + "/" + item.get("events").n());
        }
        return result;
    }

    /** The rejects kept unresolved. */
    List<Map<String, AttributeValue>> rejects() {
        return scan(tables.get(Table.REJECTS)).stream().filter(item -> !item.containsKey("resolvedAt")).toList();
    }

    /** The rejects resolved by a replay, kept until they expire. */
    List<Map<String, AttributeValue>> resolvedRejects() {
        return scan(tables.get(Table.REJECTS)).stream().filter(item -> item.containsKey("resolvedAt")).toList();
    }

    private List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        reader.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build())
                .items().forEach(items::add);
        return items;
    }

    /** Redelivers a batch from the record Lambda would resume at: the lowest failed sequence number. */
    static KinesisEvent resumeFrom(KinesisEvent batch, StreamsEventResponse response) {
        String first = response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .min((a, b) -> new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)))
                .orElseThrow();
        KinesisEvent rest = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        boolean started = false;
        for (KinesisEvent.KinesisEventRecord record : batch.getRecords()) {
            started |= record.getKinesis().getSequenceNumber().equals(first);
            if (started) {
                records.add(record);
            }
        }
        rest.setRecords(records);
        return rest;
    }

    /**
     * The independent oracle: the expected aggregates computed from the distinct events alone,
     * in the same {@code pk|sk -> quantity/events} form.
     */
    static Map<String, String> oracle(List<SentEvent> sent) {
        Map<String, SentEvent> distinct = new HashMap<>();
        for (SentEvent event : sent) {
            distinct.putIfAbsent(event.source() + "\u0000" + event.id(), event);
        }
        Map<String, BigDecimal> quantities = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (SentEvent event : distinct.values()) {
            String minute = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm':00Z'")
                    .withZone(ZoneOffset.UTC).format(event.time());
            String key = event.tenant() + "#MINUTE|" + minute + "#" + event.resource() + "#" + event.unit();
            quantities.merge(key, new BigDecimal(event.quantity()), BigDecimal::add);
            counts.merge(key, 1, Integer::sum);
        }
        Map<String, String> expected = new TreeMap<>();
        quantities.forEach((key, quantity) -> expected.put(key,
                quantity.stripTrailingZeros().toPlainString() + "/" + counts.get(key)));
        return expected;
    }

    /** An event as a producer sent it, for the oracle. */
    record SentEvent(String source, String id, String tenant, String resource, String unit, String quantity,
                     Instant time) {
        String json() {
            return com.poolhub.metering.testing.UsageEventJson.event(source, id, tenant, resource, unit, quantity, time)
                    .toString();
        }
    }
}

package com.poolhub.metering.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.hardening.fuzz.StreamTargets.StreamTarget;
import com.poolhub.metering.hardening.support.LocalStack;
import com.poolhub.metering.ingest.Aggregation;
import com.poolhub.metering.ingest.EventDecoder;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.ingest.RejectedRecord;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.KplRecords;
import com.poolhub.metering.testing.ListRejects;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bad input on every Kinesis stream on main. A fast pass runs thousands of generated records (valid
 * events mutated, arrays mixing good and bad, KPL aggregates whole and corrupted, random bytes, huge
 * and deeply nested data) through the real ingest pipeline with in-memory stores; a second pass sends
 * a share of them, plus the largest records a shard accepts, through each handler on the local DynamoDB emulator.
 * Invariants: nothing throws, no record is handed back for retry, every element is either counted
 * or rejected, and every reject carries a specific reason code and a message.
 */
class KinesisRecordsFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    private static final int BATCHES = Integer.getInteger("fuzz.kinesis.batches", 160);
    private static final int BATCH_SIZE = 25;
    private static final int DYNAMO_BATCHES = Integer.getInteger("fuzz.kinesis.dynamoBatches", 8);
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    private static final Instant NOW = Instant.parse(LocalStack.NOW);

    @TestFactory
    Stream<DynamicTest> everyStream_inMemory_countsOrRejectsEveryElementWithAReason() {
        return StreamTargets.ALL.stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> fuzzPure(target)));
    }

    @TestFactory
    Stream<DynamicTest> everyStream_onLocalDynamoDb_keepsEveryRejectAndNeverRetriesBadInput() {
        return StreamTargets.ALL.stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> fuzzHandler(target)));
    }

    private void fuzzPure(StreamTarget target) {
        BadInputs inputs = new BadInputs(SEED ^ target.name().hashCode());
        ListRejects rejects = new ListRejects();
        IngestPipeline<?, ?> pipeline = pipeline(target, rejects);
        CloudEventReader reader = new CloudEventReader();
        long records = 0;
        long elements = 0;
        long counted = 0;
        List<String> failures = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            List<byte[]> data = batch(target, inputs);
            List<StreamRecord> batch = new ArrayList<>();
            for (byte[] bytes : data) {
                batch.add(new StreamRecord("shardId-00000000000" + (b % 4), Long.toString(records++), "p", NOW,
                        ByteBuffer.wrap(bytes)));
                elements += reader.read(ByteBuffer.wrap(bytes)).size();
            }
            int rejectedBefore = rejects.saved().size();
            IngestReport report;
            try {
                report = pipeline.process(batch);
            } catch (Throwable e) {
                failures.add("batch " + b + " threw " + e);
                continue;
            }
            counted += report.eventsApplied() + report.duplicates();
            if (!report.failedSequenceNumbers().isEmpty()) {
                failures.add("batch " + b + " handed records back for retry: " + report.failedSequenceNumbers());
            }
            for (RejectedRecord reject : rejects.saved().subList(rejectedBefore, rejects.saved().size())) {
                String problem = judge(reject.rejection().code(), reject.rejection().message());
                if (problem != null) {
                    failures.add("batch " + b + " record " + reject.sequenceNumber() + ": " + problem);
                }
            }
        }
        System.out.printf("kinesis fuzz %s (in memory): %d records, %d elements, %d counted, %d rejected, %d failures%n",
                target.name(), records, elements, counted, rejects.saved().size(), failures.size());
        assertEquals(List.of(), failures.subList(0, Math.min(failures.size(), 25)));
        assertEquals(elements, counted + rejects.saved().size(), "every element is either counted or rejected");
    }

    private void fuzzHandler(StreamTarget target) {
        BadInputs inputs = new BadInputs(SEED ^ target.name().hashCode() ^ 0x5EED);
        LocalStack local = LocalStack.fresh();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = target.handler().apply(local);
        int records = 0;
        List<String> failures = new ArrayList<>();
        for (int b = 0; b <= DYNAMO_BATCHES; b++) {
            List<byte[]> data = b < DYNAMO_BATCHES ? batch(target, inputs) : largest(target, inputs);
            KinesisEvents builder = KinesisEvents.shard("shardId-00000000000" + (b % 2), 1000L * b);
            data.forEach(bytes -> builder.record("p", bytes));
            records += data.size();
            try {
                StreamsEventResponse response = handler.handleRequest(builder.build(), null);
                if (!response.getBatchItemFailures().isEmpty()) {
                    failures.add("batch " + b + " handed " + response.getBatchItemFailures().size()
                            + " records back for retry");
                }
            } catch (Throwable e) {
                failures.add("batch " + b + " threw " + e);
            }
        }
        List<Map<String, AttributeValue>> kept = new ArrayList<>();
        local.dynamo().scanPaginator(s -> s.tableName(local.table(Table.REJECTS))).items().forEach(kept::add);
        for (Map<String, AttributeValue> reject : kept) {
            String problem = judge(reject.get("reasonCode").s(), reject.get("reason").s());
            if (problem != null) {
                failures.add(reject.get("sk").s() + ": " + problem);
            }
        }
        System.out.printf("kinesis fuzz %s (handler on the local DynamoDB emulator): %d records, %d rejects kept, %d failures%n",
                target.name(), records, kept.size(), failures.size());
        assertEquals(List.of(), failures.subList(0, Math.min(failures.size(), 25)));
        assertTrue(kept.size() > 0, "the generated input holds bad records");
    }

    private static String judge(String code, String message) {
        if (code == null || !CODE.matcher(code).matches()) {
            return "reject without a reason code: " + code;
        }
        if ("UNPROCESSABLE".equals(code)) {
            return "decoder failed without a specific reason: " + message;
        }
        if (message == null || message.isBlank()) {
            return "reject " + code + " without a message";
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static IngestPipeline<?, ?> pipeline(StreamTarget target, ListRejects rejects) {
        Aggregation aggregation = target.aggregation();
        return new IngestPipeline(target.name(), (EventDecoder) target.decoder(),
                new EventTimePolicy(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC), Duration.ofDays(35),
                        EventTimePolicy.DEFAULT_FUTURE_SKEW),
                aggregation, InMemoryIngest.store(aggregation), rejects);
    }

    private static List<byte[]> batch(StreamTarget target, BadInputs inputs) {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < BATCH_SIZE; i++) {
            records.add(record(target, inputs));
        }
        return records;
    }

    private static ObjectNode valid(StreamTarget target, BadInputs inputs) {
        return target.validEvent().apply(inputs.random(), NOW.minusSeconds(inputs.nextInt(7200)));
    }

    private static String element(StreamTarget target, BadInputs inputs) {
        ObjectNode event = valid(target, inputs);
        return inputs.nextInt(3) == 0 ? event.toString() : inputs.mutate(event);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] record(StreamTarget target, BadInputs inputs) {
        int kind = inputs.nextInt(20);
        switch (kind) {
            case 0, 1, 2, 3, 4, 5, 6:
                return utf8(element(target, inputs));
            case 7, 8, 9: {
                List<String> elements = new ArrayList<>();
                for (int n = 1 + inputs.nextInt(6); n > 0; n--) {
                    elements.add(element(target, inputs));
                }
                return utf8("[" + String.join(",", elements) + "]");
            }
            case 10, 11: {
                KplRecords aggregate = KplRecords.aggregate();
                for (int n = 1 + inputs.nextInt(4); n > 0; n--) {
                    aggregate.add("pk" + n, inputs.nextInt(4) == 0 ? "[" + element(target, inputs) + ","
                            + element(target, inputs) + "]" : element(target, inputs));
                }
                return aggregate.build();
            }
            case 12: {
                byte[] aggregate = KplRecords.aggregate().add("pk", valid(target, inputs).toString())
                        .add("pk", valid(target, inputs).toString()).build();
                if (inputs.nextBoolean()) {
                    aggregate[4 + inputs.nextInt(aggregate.length - 4)] ^= (byte) (1 + inputs.nextInt(255));
                    return aggregate;
                }
                return java.util.Arrays.copyOf(aggregate, 4 + inputs.nextInt(aggregate.length - 4));
            }
            case 13: {
                byte[] message = inputs.randomBytes(inputs.nextInt(200));
                return KplRecords.frame(message);
            }
            case 14:
                return inputs.randomBytes(inputs.nextInt(300));
            case 15:
                return utf8(inputs.nextBoolean() ? inputs.deepText(100 + inputs.nextInt(5000)) : inputs.string());
            case 16:
                return inputs.nextInt(10) == 0 ? new byte[0] : utf8(inputs.value().toString());
            case 17: {
                if (inputs.nextInt(8) != 0) {
                    return utf8(valid(target, inputs).toString());
                }
                List<String> many = new ArrayList<>();
                for (int n = 0; n < 501; n++) {
                    many.add(valid(target, inputs).toString());
                }
                return utf8("[" + String.join(",", many) + "]");
            }
            default:
                return utf8(valid(target, inputs).toString());
        }
    }

    /** The largest records a shard takes (1 MB): one-byte and three-byte characters, valid JSON and not. */
    private static List<byte[]> largest(StreamTarget target, BadInputs inputs) {
        ObjectNode wide = valid(target, inputs);
        ((ObjectNode) wide.get("data")).put("note", "€".repeat(330_000));
        ObjectNode ascii = valid(target, inputs);
        ((ObjectNode) ascii.get("data")).put("note", "x".repeat(1_000_000));
        return List.of(utf8(wide.toString()), utf8(ascii.toString()), utf8("€".repeat(340_000)),
                utf8(valid(target, inputs).toString()));
    }
}

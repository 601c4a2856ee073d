package com.poolhub.metering.localrun;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process Kinesis streams for the template's {@code Kinesis} event sources: records put on a
 * stream are delivered to each function reading it in batches of the source's {@code BatchSize},
 * and, as Lambda's event source mapping does, a batch with item failures is redelivered from the
 * first failed record (up to the source's {@code MaximumRetryAttempts}, then left on the stream's
 * failure list, as the on-failure destination would receive it).
 */
public final class LocalStreams {
    /** A Kinesis source of the template. */
    public record Source(String stream, String function, int batchSize, int maxRetries) {
    }

    /** A batch given up after its retries. */
    public record Failure(String stream, String function, int records) {
    }

    private final List<Source> sources = new ArrayList<>();
    private final Map<String, HostedFunction> functions;
    private final Map<String, List<KinesisEvent.KinesisEventRecord>> pending = new LinkedHashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private BigInteger sequence = new BigInteger("49590000000000000000000000000000000000000000000000000000");
    private long delivered;
    private long invocations;

    public LocalStreams(SamTemplate template, LocalValues values, Map<String, HostedFunction> functions) {
        this.functions = functions;
        for (SamTemplate.SamFunction function : template.functions()) {
            for (SamTemplate.SamEvent event : function.events("Kinesis")) {
                String stream = ((Intrinsic) event.property("Stream")).target();
                int batch = Integer.parseInt(values.resolve(event.property("BatchSize")));
                Object retries = event.property("MaximumRetryAttempts");
                sources.add(new Source(stream, function.logicalId(), batch,
                        retries == null ? 10 : Integer.parseInt(values.resolve(retries))));
            }
        }
    }

    public List<Source> sources() {
        return sources;
    }

    /** Whether some running function reads the stream. */
    public boolean consumed(String stream) {
        return sources.stream().anyMatch(s -> s.stream().equals(stream) && functions.containsKey(s.function()));
    }

    /** Puts records (UTF-8 JSON each) on a stream, with the partition key of each. */
    public synchronized void put(String stream, List<String> data, List<String> partitionKeys) {
        List<KinesisEvent.KinesisEventRecord> queue = pending.computeIfAbsent(stream, s -> new ArrayList<>());
        for (int i = 0; i < data.size(); i++) {
            sequence = sequence.add(BigInteger.ONE);
            KinesisEvent.Record record = new KinesisEvent.Record();
            record.setData(ByteBuffer.wrap(data.get(i).getBytes(StandardCharsets.UTF_8)));
            record.setPartitionKey(partitionKeys.get(i));
            record.setSequenceNumber(sequence.toString());
            record.setApproximateArrivalTimestamp(new Date());
            record.setKinesisSchemaVersion("1.0");
            KinesisEvent.KinesisEventRecord eventRecord = new KinesisEvent.KinesisEventRecord();
            eventRecord.setKinesis(record);
            eventRecord.setEventID("shardId-000000000000:" + sequence);
            eventRecord.setEventSource("aws:kinesis");
            eventRecord.setEventName("aws:kinesis:record");
            eventRecord.setEventVersion("1.0");
            eventRecord.setAwsRegion("us-east-1");
            eventRecord.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/" + stream);
            queue.add(eventRecord);
        }
    }

    /** Delivers everything pending to the functions reading each stream; returns records delivered. */
    public synchronized long drain() {
        long before = delivered;
        for (Map.Entry<String, List<KinesisEvent.KinesisEventRecord>> entry : pending.entrySet()) {
            List<KinesisEvent.KinesisEventRecord> records = entry.getValue();
            for (Source source : sources) {
                HostedFunction function = functions.get(source.function());
                if (source.stream().equals(entry.getKey()) && function != null) {
                    deliver(source, function, records);
                }
            }
            records.clear();
        }
        return delivered - before;
    }

    private void deliver(Source source, HostedFunction function, List<KinesisEvent.KinesisEventRecord> records) {
        int from = 0;
        int attempts = 0;
        while (from < records.size()) {
            List<KinesisEvent.KinesisEventRecord> batch = records.subList(from, Math.min(records.size(), from + source.batchSize()));
            KinesisEvent event = new KinesisEvent();
            event.setRecords(new ArrayList<>(batch));
            invocations++;
            StreamsEventResponse response;
            try {
                response = function.invoke(event, StreamsEventResponse.class);
            } catch (RuntimeException e) {
                response = null;
            }
            delivered += batch.size();
            int next = from + batch.size();
            if (response == null) {
                next = from;
            } else if (response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
                BigInteger first = response.getBatchItemFailures().stream()
                        .map(f -> new BigInteger(f.getItemIdentifier())).min(BigInteger::compareTo).orElseThrow();
                for (int i = 0; i < batch.size(); i++) {
                    if (new BigInteger(batch.get(i).getKinesis().getSequenceNumber()).equals(first)) {
                        next = from + i;
                        break;
                    }
                }
            }
            if (next == from + batch.size()) {
                attempts = 0;
            } else if (++attempts > source.maxRetries()) {
                failures.add(new Failure(source.stream(), source.function(), from + batch.size() - next));
                next = from + batch.size();
                attempts = 0;
            }
            from = next;
        }
    }

    public long delivered() {
        return delivered;
    }

    public long invocations() {
        return invocations;
    }

    public List<Failure> failures() {
        return failures;
    }
}

package com.poolhub.metering.local;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Does locally what Lambda's Kinesis event source mapping does: reads each shard of a stream with
 * GetRecords, hands batches to a handler as {@link KinesisEvent}s, and honours the batch item
 * failures it returns by re-reading the shard from the first failed sequence number.
 */
public final class KinesisEventSource {
    private final KinesisClient kinesis;
    private final String stream;
    private final String streamArn;
    private final int batchSize;
    private final Map<String, String> checkpoints = new HashMap<>();

    public KinesisEventSource(KinesisClient kinesis, String stream, int batchSize) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/" + stream;
        this.batchSize = batchSize;
    }

    /**
     * Reads every shard once from its checkpoint and delivers what it finds in batches. Returns the
     * number of records delivered (redeliveries after batch item failures included).
     */
    public int poll(Function<KinesisEvent, StreamsEventResponse> handler) {
        int delivered = 0;
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            delivered += pollShard(shard.shardId(), handler);
        }
        return delivered;
    }

    private int pollShard(String shardId, Function<KinesisEvent, StreamsEventResponse> handler) {
        int delivered = 0;
        for (int round = 0; round < 1000; round++) {
            String checkpoint = checkpoints.get(shardId);
            String iterator = kinesis.getShardIterator(b -> {
                b.streamName(stream).shardId(shardId);
                if (checkpoint == null) {
                    b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                } else {
                    b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(checkpoint);
                }
            }).shardIterator();
            GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(iterator).limit(batchSize));
            if (response.records().isEmpty()) {
                return delivered;
            }
            StreamsEventResponse result = handler.apply(toEvent(shardId, response.records()));
            delivered += response.records().size();
            String lastGood = response.records().get(response.records().size() - 1).sequenceNumber();
            if (result != null && result.getBatchItemFailures() != null && !result.getBatchItemFailures().isEmpty()) {
                BigInteger firstFailed = result.getBatchItemFailures().stream()
                        .map(f -> new BigInteger(f.getItemIdentifier())).min(BigInteger::compareTo).orElseThrow();
                lastGood = null;
                for (Record record : response.records()) {
                    if (new BigInteger(record.sequenceNumber()).compareTo(firstFailed) < 0) {
                        lastGood = record.sequenceNumber();
                    }
                }
                if (lastGood == null) {
                    return delivered;
                }
            }
            checkpoints.put(shardId, lastGood);
        }
        return delivered;
    }

    private KinesisEvent toEvent(String shardId, List<Record> records) {
        List<KinesisEvent.KinesisEventRecord> converted = new ArrayList<>();
        for (Record record : records) {
            KinesisEvent.Record kinesisRecord = new KinesisEvent.Record();
            kinesisRecord.setData(ByteBuffer.wrap(record.data().asByteArray()));
            kinesisRecord.setPartitionKey(record.partitionKey());
            kinesisRecord.setSequenceNumber(record.sequenceNumber());
            kinesisRecord.setApproximateArrivalTimestamp(Date.from(record.approximateArrivalTimestamp()));
            kinesisRecord.setKinesisSchemaVersion("1.0");
            KinesisEvent.KinesisEventRecord eventRecord = new KinesisEvent.KinesisEventRecord();
            eventRecord.setKinesis(kinesisRecord);
            eventRecord.setEventID(shardId + ":" + record.sequenceNumber());
            eventRecord.setEventSource("aws:kinesis");
            eventRecord.setEventName("aws:kinesis:record");
            eventRecord.setEventSourceARN(streamArn);
            eventRecord.setAwsRegion("us-east-1");
            converted.add(eventRecord);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(converted);
        return event;
    }
}

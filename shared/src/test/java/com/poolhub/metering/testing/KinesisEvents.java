package com.poolhub.metering.testing;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Builds Lambda Kinesis events the way the event source delivers them, for handler tests. */
public final class KinesisEvents {
    private final String shardId;
    private final List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
    private long nextSequence;

    private KinesisEvents(String shardId, long firstSequence) {
        this.shardId = shardId;
        this.nextSequence = firstSequence;
    }

    public static KinesisEvents shard(String shardId, long firstSequence) {
        return new KinesisEvents(shardId, firstSequence);
    }

    /** Adds a record whose data is the given text. */
    public KinesisEvents record(String partitionKey, String data) {
        return record(partitionKey, data.getBytes(StandardCharsets.UTF_8));
    }

    public KinesisEvents record(String partitionKey, byte[] data) {
        String sequence = String.format("4959%036d", nextSequence++);
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(data));
        kinesis.setPartitionKey(partitionKey);
        kinesis.setSequenceNumber(sequence);
        kinesis.setApproximateArrivalTimestamp(Date.from(Instant.parse("2026-11-22T12:00:00Z")));
        kinesis.setKinesisSchemaVersion("1.0");
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID(shardId + ":" + sequence);
        record.setEventSource("aws:kinesis");
        record.setEventName("aws:kinesis:record");
        record.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/usage-events");
        records.add(record);
        return this;
    }

    public KinesisEvent build() {
        KinesisEvent event = new KinesisEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    /** The sequence number of the i-th record added. */
    public String sequenceOf(int index) {
        return records.get(index).getKinesis().getSequenceNumber();
    }
}

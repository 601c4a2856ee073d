package com.poolhub.metering.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.ingest.StreamRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Converts between Lambda's Kinesis event classes and the ingest pipeline's types. */
public final class KinesisBatch {
    private KinesisBatch() {
    }

    /** The records of a Kinesis event, in delivery order. */
    public static List<StreamRecord> records(KinesisEvent event) {
        List<StreamRecord> records = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return records;
        }
        for (KinesisEvent.KinesisEventRecord record : event.getRecords()) {
            KinesisEvent.Record kinesis = record.getKinesis();
            ByteBuffer data = kinesis.getData() == null ? ByteBuffer.allocate(0) : kinesis.getData();
            Instant arrived = kinesis.getApproximateArrivalTimestamp() == null ? Instant.EPOCH
                    : kinesis.getApproximateArrivalTimestamp().toInstant();
            records.add(new StreamRecord(shardId(record.getEventID()), kinesis.getSequenceNumber(),
                    kinesis.getPartitionKey(), arrived, data));
        }
        return records;
    }

    /** The batch item failures Lambda needs to retry from the first failed record. */
    public static StreamsEventResponse response(IngestReport report) {
        List<StreamsEventResponse.BatchItemFailure> failures = report.failedSequenceNumbers().stream()
                .map(seq -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build())
                .toList();
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** Lambda's event id is {@code shardId:sequenceNumber}. */
    static String shardId(String eventId) {
        if (eventId == null) {
            return "unknown";
        }
        int colon = eventId.indexOf(':');
        return colon < 0 ? eventId : eventId.substring(0, colon);
    }
}

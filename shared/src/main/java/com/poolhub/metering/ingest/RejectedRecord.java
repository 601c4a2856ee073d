package com.poolhub.metering.ingest;

import com.poolhub.metering.event.Rejection;
import java.time.Instant;

/**
 * An input kept aside with the reason it was refused, so an operator can list and replay it.
 *
 * @param index     position of the refused event in the record's (or sub-record's) array (0 for a single event)
 * @param data      the refused event's JSON (or the whole record or sub-record when it could not be split;
 *                  {@code base64:} and the bytes in Base64 when they are not UTF-8)
 * @param subRecord position of the KPL sub-record the event came from, or
 *                  {@link com.poolhub.metering.event.CloudEventReader#NOT_AGGREGATED} for a plain record
 */
public record RejectedRecord(String stream, String shardId, String sequenceNumber, int index, String partitionKey,
                             Instant arrivedAt, String data, Rejection rejection, int subRecord) {

    /** A reject from a plain (not aggregated) record. */
    public RejectedRecord(String stream, String shardId, String sequenceNumber, int index, String partitionKey,
                          Instant arrivedAt, String data, Rejection rejection) {
        this(stream, shardId, sequenceNumber, index, partitionKey, arrivedAt, data, rejection,
                com.poolhub.metering.event.CloudEventReader.NOT_AGGREGATED);
    }

    /**
     * The reject's key within its stream and arrival day, in arrival order:
     * {@code <arrivedAt>#<shardId>#<sequenceNumber>#<position>}, the position {@code 0003} for a plain
     * record's event 3 or {@code k00001.0003} for event 3 of KPL sub-record 1. Saving a reject again
     * (a redelivered batch) gives the same key.
     */
    public String key() {
        String position = String.format("%04d", index);
        if (subRecord != com.poolhub.metering.event.CloudEventReader.NOT_AGGREGATED) {
            position = String.format("k%05d.", subRecord) + position;
        }
        return arrivedAt + "#" + shardId + "#" + sequenceNumber + "#" + position;
    }

    /** The same reject with another reason. */
    public RejectedRecord withRejection(Rejection newRejection) {
        return new RejectedRecord(stream, shardId, sequenceNumber, index, partitionKey, arrivedAt, data, newRejection,
                subRecord);
    }
}

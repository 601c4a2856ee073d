package com.poolhub.metering.ingest;

import com.poolhub.metering.event.Rejection;
import java.time.Instant;

/**
 * An input kept aside with the reason it was refused, so an operator can list and replay it.
 *
 * @param index position of the refused event in the record's array (0 for a single event)
 * @param data  the refused event's JSON (or the whole record when it could not be split)
 */
public record RejectedRecord(String stream, String shardId, String sequenceNumber, int index, String partitionKey,
                             Instant arrivedAt, String data, Rejection rejection) {
}

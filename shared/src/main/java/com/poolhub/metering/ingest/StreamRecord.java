package com.poolhub.metering.ingest;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One Kinesis record as the ingest pipeline sees it, independent of the Lambda event classes.
 *
 * @param shardId        the shard it came from
 * @param sequenceNumber its sequence number in that shard (what a batch item failure names)
 */
public record StreamRecord(String shardId, String sequenceNumber, String partitionKey, Instant arrivedAt,
                           ByteBuffer data) {
}

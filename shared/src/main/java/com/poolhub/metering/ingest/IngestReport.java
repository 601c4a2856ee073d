package com.poolhub.metering.ingest;

import java.util.List;

/**
 * What one batch did: counts for logs and metrics, and the sequence numbers to hand back to Lambda
 * as batch item failures (ascending; Lambda resumes from the lowest).
 */
public record IngestReport(int records, long eventsApplied, long duplicates, int rejected,
                           List<String> failedSequenceNumbers) {
}

package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.usage.Granularity;

/**
 * What one rollup step did.
 *
 * @param from        the granularity rolled up (its parents were recomputed)
 * @param marks       changed windows found
 * @param written     parents written with new totals
 * @param upToDate    parents that already held these totals (a repeated or concurrent run)
 * @param superseded  parents a concurrent run had already written from newer children
 * @param cleared     marks removed
 * @param kept        marks kept because their window changed again after it was read
 * @param failed      parents whose read or write failed; their marks stay for the next run
 * @param sinkRefused windows the metrics sink refused
 */
public record RollupReport(Granularity from, int marks, int written, int upToDate, int superseded, int cleared,
                           int kept, int failed, int sinkRefused) {
}

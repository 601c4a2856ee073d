package com.poolhub.metering.billing;

import java.time.Instant;

/**
 * What one sync run did.
 *
 * @param hoursScanned   hours whose usage and records were compared
 * @param recordsCreated new records stored (usage and adjustments)
 * @param adjustments    of those, adjustments for late usage
 * @param synced         records the coordinator accepted in this run
 * @param retried        resends after a retryable failure
 * @param failed         records this run gave up on or the API refused
 * @param deferred       records not sent because the API was considered unavailable for the rest of the run
 * @param watermark      every period before it is billed (null when nothing was ever closed)
 * @param lagSeconds     seconds from the watermark to the run's time (0 without a watermark)
 * @param ranAt          the run's time: its clock when it started
 */
public record SyncReport(int hoursScanned, int recordsCreated, int adjustments, int synced, int retried, int failed,
                         int deferred, Instant watermark, long lagSeconds, Instant ranAt) {
}

package com.poolhub.metering.billing;

import java.time.Duration;

/**
 * How the billing sync runs.
 *
 * @param settle  an hour is billed once its end plus this delay has passed; must cover the lag of the
 *                aggregator that writes hour totals (default 15 minutes)
 * @param recheck how far back already-billed hours are re-read for late usage, billed as adjustments;
 *                should match the late-arrival limit of ingest (default 35 days)
 * @param retry   sends per record and run, and the backoff between them
 */
public record SyncSettings(Duration settle, Duration recheck, RetryPolicy retry) {
}

package com.poolhub.metering.billing;

import java.time.Duration;

/**
 * How the billing sync runs.
 *
 * @param settle an hour is billed once its end plus this delay has passed; must cover the lag of the
 *               aggregator that writes hour totals (default 15 minutes); anything later is billed
 *               as an adjustment when its hour changes
 * @param retry  sends per record and run, and the backoff between them
 */
public record SyncSettings(Duration settle, RetryPolicy retry) {
}

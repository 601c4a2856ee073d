package com.poolhub.metering.billing;

import java.time.Instant;

/**
 * How far billing is complete: every record of every period before {@code through} was accepted by
 * the coordinator. {@code through} is null before the first run. {@code version} guards updates.
 */
public record Watermark(Instant through, long version) {
    public static final Watermark NONE = new Watermark(null, 0);
}

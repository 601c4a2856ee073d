package com.poolhub.metering.audit;

import java.time.LocalDate;

/**
 * A place in the audit chain: a record's UTC day, its sequence number within the day (from 1) and
 * its hash. {@link #GENESIS} is what the very first record links to.
 */
public record ChainLink(LocalDate day, long sequence, String hash) {
    /** The link of the first record ever: no day, sequence 0, a hash of 64 zeros. */
    public static final ChainLink GENESIS = new ChainLink(null, 0, "0".repeat(64));

    public boolean isGenesis() {
        return day == null;
    }

    /** The link of the record that follows this one, given the day it is written in. */
    public long nextSequenceOn(LocalDate recordDay) {
        return recordDay.equals(day) ? sequence + 1 : 1;
    }
}

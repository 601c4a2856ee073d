package com.poolhub.metering.audit;

/** Something wrong with a day's audit chain, at a sequence number, said for an operator. */
public record ChainProblem(Kind kind, long sequence, String detail) {

    /** What kind of damage a chain shows. */
    public enum Kind {
        /** A record's fields no longer give its hash, or it names another day: it was changed after it was written. */
        TAMPERED,
        /** Sequence numbers are missing, or records the rest of the chain links to are gone: records were deleted. */
        MISSING,
        /** A record sits in another slot than its own sequence: records were moved or swapped. */
        OUT_OF_ORDER,
        /** A record does not link to the record before it: one of them was replaced, or a record was inserted. */
        BROKEN_LINK
    }
}

package com.poolhub.metering.billing;

/** The coordinator-api billing endpoint. */
public interface CoordinatorBilling {
    /**
     * Sends one record once (no retries here). Never throws for a failed send: the outcome says
     * whether the API accepted it, refused it for good, or may accept a resend.
     */
    Submission submit(UsageRecord record);

    /** The result of one send. */
    record Submission(Outcome outcome, String detail) {
        public static Submission accepted() {
            return new Submission(Outcome.ACCEPTED, null);
        }

        public static Submission retryable(String detail) {
            return new Submission(Outcome.RETRYABLE, detail);
        }

        public static Submission rejected(String detail) {
            return new Submission(Outcome.REJECTED, detail);
        }
    }

    /** How a send ended. */
    enum Outcome {
        /** Applied now, or applied before under the same idempotency key. */
        ACCEPTED,
        /** Not known to be applied (5xx, 408, 429, timeout, lost connection, stale key): resend under the same key. */
        RETRYABLE,
        /** Refused for good (other 4xx): resending the same record cannot help within this run. */
        REJECTED
    }
}

package com.poolhub.metering.telemetry;

/**
 * A miner's match response times and job outcomes within one minute of an hour (or, for counters
 * stored before minutes were kept, within a whole hour). Immutable; tallies of different minutes or
 * parts of a minute merge by summing.
 */
public record MinuteTally(ResponseTimes responses, long succeeded, long failed, long timedOut) {
    private static final MinuteTally EMPTY = new MinuteTally(ResponseTimes.empty(), 0, 0, 0);

    public static MinuteTally empty() {
        return EMPTY;
    }

    public MinuteTally withResponse(long micros) {
        return new MinuteTally(responses.plus(micros), succeeded, failed, timedOut);
    }

    public MinuteTally withOutcome(JobOutcome outcome) {
        return new MinuteTally(responses,
                succeeded + (outcome == JobOutcome.SUCCEEDED ? 1 : 0),
                failed + (outcome == JobOutcome.FAILED ? 1 : 0),
                timedOut + (outcome == JobOutcome.TIMED_OUT ? 1 : 0));
    }

    /** The union of two tallies (disjoint events); exact values kept only when both kept theirs. */
    public MinuteTally merge(MinuteTally other) {
        return new MinuteTally(responses.merge(other.responses), succeeded + other.succeeded,
                failed + other.failed, timedOut + other.timedOut);
    }

    /** This tally with only the histogram of its response times. */
    public MinuteTally histogramOnly() {
        return responses.isExact() ? new MinuteTally(responses.histogramOnly(), succeeded, failed, timedOut) : this;
    }

    public long jobs() {
        return succeeded + failed + timedOut;
    }
}

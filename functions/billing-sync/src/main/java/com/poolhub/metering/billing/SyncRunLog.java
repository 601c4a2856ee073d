package com.poolhub.metering.billing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The reports of past sync runs, kept for a retention period, read newest first. */
public interface SyncRunLog {
    /** What started a run. */
    enum Trigger { SCHEDULE, API }

    /** One kept run: its id, what started it, and its report. */
    record SyncRun(String id, Trigger trigger, SyncReport report) {
    }

    /** Keeps a run's report. */
    void record(SyncReport report, Trigger trigger);

    /** Runs with {@code ranAt} in {@code [from, to)}, newest first, at most {@code limit}, after the position of a previous page. */
    Page runs(Instant from, Instant to, int limit, Map<String, String> after);

    /** Runs and the position to continue from, if there are more. */
    record Page(List<SyncRun> runs, Map<String, String> next) {
    }
}

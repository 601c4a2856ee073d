package com.poolhub.metering.testing;

import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A reject store in memory for pipeline tests: every reject saved, in order; a resolved one removed. */
public final class ListRejects implements RejectStore {
    private final List<RejectedRecord> saved = new ArrayList<>();

    /** The rejects kept, oldest first. */
    public List<RejectedRecord> saved() {
        return saved;
    }

    @Override
    public List<RejectedRecord> save(List<RejectedRecord> rejects) {
        saved.addAll(rejects);
        return List.of();
    }

    @Override
    public Page list(String stream, LocalDate day, int limit, String nextToken) {
        return new Page(List.copyOf(saved), null);
    }

    @Override
    public void resolve(RejectedRecord reject, Instant resolvedAt) {
        saved.remove(reject);
    }
}

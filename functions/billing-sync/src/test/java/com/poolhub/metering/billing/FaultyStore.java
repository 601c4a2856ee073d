package com.poolhub.metering.billing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that dies like a crashed process: its next {@code crashes} calls to mark a record accepted
 * throw before anything is written, after the coordinator has applied the record.
 */
final class FaultyStore implements BillingRecordStore {
    /** The simulated crash. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("process died before the accepted status was written");
        }
    }

    private final BillingRecordStore delegate;
    private final AtomicInteger crashes = new AtomicInteger();

    FaultyStore(BillingRecordStore delegate) {
        this.delegate = delegate;
    }

    void crashOnNextAccepts(int n) {
        crashes.set(n);
    }

    @Override
    public List<UsageRecord> recordsOf(Instant periodStart) {
        return delegate.recordsOf(periodStart);
    }

    @Override
    public boolean create(UsageRecord record) {
        return delegate.create(record);
    }

    @Override
    public void markAccepted(UsageRecord record, int attempts, Instant at) {
        if (crashes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new Crash();
        }
        delegate.markAccepted(record, attempts, at);
    }

    @Override
    public void markFailed(UsageRecord record, int attempts, String error, Instant at) {
        delegate.markFailed(record, attempts, error, at);
    }

    @Override
    public Watermark watermark() {
        return delegate.watermark();
    }

    @Override
    public boolean moveWatermark(Watermark read, Instant through, Instant at) {
        return delegate.moveWatermark(read, through, at);
    }

    @Override
    public Page tenantRecords(String tenant, Instant from, Instant to, int limit, Map<String, String> after) {
        return delegate.tenantRecords(tenant, from, to, limit, after);
    }
}

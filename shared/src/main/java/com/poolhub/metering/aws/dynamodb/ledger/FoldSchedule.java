package com.poolhub.metering.aws.dynamodb.ledger;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * When an ingest container folds the scopes it committed pages to: with a zero interval after every
 * batch; otherwise once a scope's oldest unfolded commit is an interval old (and not if another
 * container folded it within the interval), so a busy window's aggregate items are written about
 * once an interval rather than once a batch. Whatever is left is folded by the scheduled sweep
 * ({@link LedgerFolder#foldMarked()}). A failed fold is logged and tried again later: the pages are
 * committed, nothing is lost.
 */
public final class FoldSchedule {
    private static final Logger LOG = LoggerFactory.getLogger(FoldSchedule.class);

    private final LedgerFolder<?, ?> folder;
    private final Duration interval;
    private final LongSupplier nanos;
    private final Map<String, Long> pendingSince = new ConcurrentHashMap<>();

    FoldSchedule(LedgerFolder<?, ?> folder, Duration interval, LongSupplier nanos) {
        this.folder = folder;
        this.interval = interval;
        this.nanos = nanos;
    }

    public static FoldSchedule every(Duration interval, LedgerFolder<?, ?> folder) {
        return new FoldSchedule(folder, interval, System::nanoTime);
    }

    /** Called after each batch with the scopes it committed pages to; folds those that are due. */
    void committed(Set<String> scopes) {
        long now = nanos.getAsLong();
        scopes.forEach(scope -> pendingSince.putIfAbsent(scope, now));
        for (Iterator<Map.Entry<String, Long>> due = pendingSince.entrySet().iterator(); due.hasNext(); ) {
            Map.Entry<String, Long> entry = due.next();
            if (now - entry.getValue() < interval.toNanos()) {
                continue;
            }
            try {
                LedgerFolder.FoldReport report = folder.fold(entry.getKey(), interval);
                if (report.failed() == 0) {
                    if (report.skipped() > 0) {
                        entry.setValue(now);
                    } else {
                        due.remove();
                    }
                }
            } catch (SdkException e) {
                LOG.warn("fold of ledger scope {} failed, left to a later fold: {}", entry.getKey(),
                        e.getClass().getSimpleName());
            }
        }
    }
}

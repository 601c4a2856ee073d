package com.poolhub.metering.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a day of the audit chain as kept in a store: reads the day, the record its first record
 * links to, and what the chain after the day says its last record is (the head, or the first later
 * record), then asks {@link AuditChain}.
 */
public final class AuditChainCheck {
    private final AuditReader reader;
    private final Clock clock;
    private final Duration retention;

    /** @param retention how long records are kept (their TTL), after which a missing predecessor is no damage */
    public AuditChainCheck(AuditReader reader, Clock clock, Duration retention) {
        this.reader = reader;
        this.clock = clock;
        this.retention = retention;
    }

    public ChainVerification verify(LocalDate day) {
        List<StoredAuditRecord> records = reader.day(day);
        Optional<ChainLink> predecessor = Optional.empty();
        boolean mayHaveExpired = false;
        if (!records.isEmpty() && records.get(0).record() != null) {
            ChainLink claimed = records.get(0).record().previous();
            if (!claimed.isGenesis()) {
                predecessor = reader.stored(claimed.day(), claimed.sequence());
                LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
                mayHaveExpired = !claimed.day().plusDays(retention.toDays()).isAfter(today);
            }
        }
        Optional<ChainLink> head = reader.head();
        ChainLink expectedLast = head.orElse(ChainLink.GENESIS);
        if (head.isPresent() && head.get().day().isAfter(day)) {
            expectedLast = reader.firstAfter(day, head.get().day()).map(AuditRecord::previous).orElse(ChainLink.GENESIS);
        }
        return AuditChain.verify(day, records, predecessor, mayHaveExpired, Optional.of(expectedLast));
    }
}

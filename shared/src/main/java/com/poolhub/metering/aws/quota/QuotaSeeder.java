package com.poolhub.metering.aws.quota;

import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

/**
 * Starts a quota set mid-period from the period's ingested usage so far. It reads the counter's
 * ingested share, folds the usage ledger's unfolded pages into the minute items, sums the tenant's
 * minute items of the period (exact decimals) and makes that sum the counter's ingested share on the
 * condition that the share did not move since it was read. An ingest page committed after the read
 * that added to the counter fails the condition and the seeding starts again; one committed without
 * adding (its ingest had not seen the quota yet) is in the sum. So every event is counted once.
 */
public final class QuotaSeeder {
    /** Rounds tried while ingest keeps adding to the counter. */
    static final int MAX_ATTEMPTS = 8;

    private final DynamoQuotaStore store;
    private final DynamoUsageReader usage;
    private final LedgerFolder<UsageKey, UsageTotals> folder;
    private final Clock clock;

    /** @param usage a consistent reader of the usage table */
    public QuotaSeeder(DynamoQuotaStore store, DynamoUsageReader usage, LedgerFolder<UsageKey, UsageTotals> folder,
                       Clock clock) {
        this.store = store;
        this.usage = usage;
        this.folder = folder;
        this.clock = clock;
    }

    /**
     * Seeds the counter of the quota's current period.
     *
     * @return the ingested use the counter now holds
     * @throws QuotaStoreException when ingest moved the counter in every round
     */
    public BigDecimal seed(String tenant, QuotaLimit quota) {
        Instant now = clock.instant();
        PeriodKey key = PeriodKey.of(tenant, quota, now);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            BigDecimal read = store.ingested(key);
            folder.foldMarked();
            BigDecimal aggregated = aggregated(key);
            if (store.seed(key, read, aggregated, now)) {
                return aggregated;
            }
        }
        throw new QuotaStoreException("quota counter kept moving while it was seeded", null);
    }

    private BigDecimal aggregated(PeriodKey key) {
        BigDecimal sum = BigDecimal.ZERO;
        for (VersionedWindow window : usage.all(key.tenant(), Granularity.MINUTE, key.start(), key.resetAt())) {
            if (window.key().resource() == key.resource() && window.key().unit() == key.unit()) {
                sum = sum.add(window.totals().quantity());
            }
        }
        return sum;
    }
}

package com.poolhub.metering.aws.quota;

import com.poolhub.metering.aws.IngestSettings;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.BatchReader;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.UsageLedgerCodec;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerLayout;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Starts a quota set mid-period from the period's ingested usage so far. Seeding a counter reads its
 * ingested share, folds the tenant's usage ledger scopes of the period that hold unfolded pages (so
 * the minute items hold every committed page), sums the tenant's minute items of the period (exact decimals)
 * and makes that sum the counter's ingested share, on the condition that the share did not move
 * since it was read. A page committed after the read that added to the counter fails the condition
 * and the seeding starts again; a page that did not add to it (its ingest had not seen the quota
 * yet) is in the sum once it is committed. Ingest learns of a quota within its cache time, so the
 * counters of the periods until then are seeded once more, at their first reading after
 * {@code settleAt}: from then on every page adds to them, and the count is exact.
 */
public final class QuotaSeeder {
    /** Rounds tried while ingest keeps adding to the counter. */
    static final int MAX_ATTEMPTS = 8;
    /** How long an ingest write may take from choosing its counters to its commit (two SDK calls). */
    static final Duration WRITE_BOUND = Duration.ofMinutes(1);
    /** Ledger heads one parallel reader reads (BatchGetItem, 100 a request). */
    static final int HEADS_PER_READER = 1_000;

    private final DynamoQuotaStore store;
    private final DynamoUsageReader usage;
    private final LedgerFolder<UsageKey, UsageTotals> folder;
    private final UsageLedgerCodec scopes;
    private final ExecutorService workers;
    private final Duration settleDelay;
    private final Clock clock;
    private final BatchReader reader;
    private final String usageTable;

    private QuotaSeeder(DynamoDbClient dynamo, DynamoQuotaStore store, String usageTable,
                        LedgerFolder<UsageKey, UsageTotals> folder, UsageLedgerCodec scopes, ExecutorService workers,
                        Duration settleDelay, Clock clock) {
        this.reader = new BatchReader(dynamo);
        this.usageTable = usageTable;
        this.usage = new DynamoUsageReader(dynamo, usageTable, true);
        this.store = store;
        this.folder = folder;
        this.scopes = scopes;
        this.workers = workers;
        this.settleDelay = settleDelay;
        this.clock = clock;
    }

    /**
     * A seeder reading the usage table that ingest writes with these settings.
     *
     * @param workers        run the folds of a period's scopes (not shared with the folder's own writes)
     * @param limitsCacheTtl how long ingest caches a tenant's quotas ({@code QUOTA_LIMITS_CACHE_SECONDS})
     */
    public static QuotaSeeder of(DynamoDbClient dynamo, DynamoQuotaStore store, String usageTable,
                                 Duration lateArrivalLimit, LedgerSettings ledger, Duration limitsCacheTtl,
                                 ExecutorService workers, Clock clock) {
        return new QuotaSeeder(dynamo, store, usageTable,
                UsageIngestion.folder(dynamo, usageTable, lateArrivalLimit, Workers.pool(4, "quota-fold-writer")),
                new UsageLedgerCodec(IngestSettings.fingerprintRetention(lateArrivalLimit), ledger), workers,
                limitsCacheTtl.plus(WRITE_BOUND), clock);
    }

    /**
     * Seeds the counters of a quota just set: the current period's, and the next one's when ingest
     * may not know the quota yet when it starts. Both are marked to be seeded again once it does.
     */
    public void started(String tenant, QuotaLimit quota) {
        Instant now = clock.instant();
        Instant settleAt = now.plus(settleDelay);
        Set<PeriodKey> keys = new LinkedHashSet<>(List.of(PeriodKey.of(tenant, quota, now),
                PeriodKey.of(tenant, quota, settleAt)));
        keys.forEach(key -> seed(key, settleAt));
    }

    /**
     * The counters as read, with those due to settle seeded once more and read again.
     *
     * @param use counters as just read
     */
    public Map<PeriodKey, PeriodUse> settled(Map<PeriodKey, PeriodUse> use) {
        Instant now = clock.instant();
        List<PeriodKey> due = use.entrySet().stream().filter(e -> e.getValue().settlesBy(now)).map(Map.Entry::getKey)
                .toList();
        if (due.isEmpty()) {
            return use;
        }
        due.forEach(key -> seed(key, null));
        Map<PeriodKey, PeriodUse> refreshed = new LinkedHashMap<>(use);
        refreshed.putAll(store.use(due));
        return refreshed;
    }

    private void seed(PeriodKey key, Instant settleAt) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            BigDecimal read = store.ingested(key);
            fold(key);
            if (store.seed(key, read, aggregated(key), clock.instant(), settleAt)) {
                return;
            }
        }
        throw new QuotaStoreException("quota counter kept moving while it was seeded", null);
    }

    /**
     * Folds the tenant's ledger scopes of the period that hold unfolded pages: the heads of every
     * minute of the period that can hold usage by now are read consistently (BatchGetItem, slices in
     * parallel), and a head holds unfolded pages exactly while it carries its mark.
     */
    private void fold(PeriodKey key) {
        Instant end = clock.instant().plus(EventTimePolicy.DEFAULT_FUTURE_SKEW);
        if (end.isAfter(key.resetAt())) {
            end = key.resetAt();
        }
        List<Map<String, AttributeValue>> heads = new ArrayList<>();
        for (Instant minute = key.start(); minute.isBefore(end); minute = minute.plus(Duration.ofMinutes(1))) {
            String scope = scopes.scope(new UsageKey(key.tenant(), key.resource(), key.unit(), Granularity.MINUTE,
                    minute));
            heads.add(Map.of("pk", AttributeValue.fromS(LedgerLayout.PREFIX + scope),
                    "sk", AttributeValue.fromS(LedgerLayout.HEAD)));
        }
        List<CompletableFuture<List<String>>> reads = new ArrayList<>();
        for (int from = 0; from < heads.size(); from += HEADS_PER_READER) {
            Set<Map<String, AttributeValue>> slice = new LinkedHashSet<>(
                    heads.subList(from, Math.min(heads.size(), from + HEADS_PER_READER)));
            reads.add(CompletableFuture.supplyAsync(() -> marked(slice), workers));
        }
        List<CompletableFuture<LedgerFolder.FoldReport>> folds = new ArrayList<>();
        for (CompletableFuture<List<String>> read : reads) {
            join(read).forEach(scope -> folds.add(CompletableFuture.supplyAsync(
                    () -> folder.fold(scope, Duration.ZERO), workers)));
        }
        for (CompletableFuture<LedgerFolder.FoldReport> fold : folds) {
            if (join(fold).failed() > 0) {
                throw new QuotaStoreException("usage pages could not be folded before seeding a quota", null);
            }
        }
    }

    /** The scopes among these heads that hold unfolded pages. */
    private List<String> marked(Set<Map<String, AttributeValue>> heads) {
        return reader.read(usageTable, heads)
                .itemsOr(cause -> new QuotaStoreException("usage ledger heads could not be read", cause)).values().stream().filter(head -> head.containsKey(LedgerLayout.MARK_PARTITION))
                .map(head -> head.get("pk").s().substring(LedgerLayout.PREFIX.length())).toList();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof QuotaStoreException failed) {
                throw failed;
            }
            throw new QuotaStoreException("usage pages could not be folded before seeding a quota", e.getCause());
        }
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

package com.poolhub.metering.aws.dynamodb.ledger;

import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IdClaims;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How an ingest function uses its ledger.
 *
 * @param foldInterval          how often a busy scope is folded into its aggregate items by the
 *                              ingest containers ({@code INGEST_FOLD_SECONDS}, default 30; zero
 *                              folds after every batch, so readers see each batch at once)
 * @param maxCachedFingerprints fingerprints a container keeps of pages it read
 *                              ({@code INGEST_CACHED_FINGERPRINTS}, default 4,000,000: about 45 MB)
 * @param groups                scopes each window is split into by tenant (usage) or miner
 *                              ({@code INGEST_LEDGER_GROUPS}, default 1: one page a window and batch;
 *                              more spreads a very busy window's commits over more heads)
 * @param globalDedupeWindow    the stricter mode ({@code DEDUPE_GLOBAL_WINDOW_HOURS}, default 0: off):
 *                              a {@code (source, id)} counted within this window is not counted
 *                              again whatever its time or subject; another event reusing it is kept
 *                              as a {@code DUPLICATE_ID_CONFLICT} reject naming the first
 */
public record LedgerSettings(Duration foldInterval, long maxCachedFingerprints, int groups,
                             Duration globalDedupeWindow) {
    public static final int DEFAULT_FOLD_SECONDS = 30;
    public static final long DEFAULT_CACHED_FINGERPRINTS = 4_000_000;

    public LedgerSettings {
        if (foldInterval.isNegative() || maxCachedFingerprints < 1 || groups < 1 || groups > 256
                || globalDedupeWindow.isNegative()) {
            throw new IllegalArgumentException("fold interval >= 0, cached fingerprints >= 1, groups 1..256, window >= 0");
        }
    }

    public static LedgerSettings fromEnv(Env env) {
        return new LedgerSettings(Duration.ofSeconds(env.intValue("INGEST_FOLD_SECONDS", DEFAULT_FOLD_SECONDS)),
                env.longValue("INGEST_CACHED_FINGERPRINTS", DEFAULT_CACHED_FINGERPRINTS),
                env.intValue("INGEST_LEDGER_GROUPS", 1),
                Duration.ofHours(env.intValue("DEDUPE_GLOBAL_WINDOW_HOURS", 0)));
    }

    /** Folds after every batch: what a reader reads right after a batch includes it. */
    public static LedgerSettings immediate() {
        return new LedgerSettings(Duration.ZERO, DEFAULT_CACHED_FINGERPRINTS, 1, Duration.ZERO);
    }

    public LedgerSettings withFoldInterval(Duration interval) {
        return new LedgerSettings(interval, maxCachedFingerprints, groups, globalDedupeWindow);
    }

    public LedgerSettings withGlobalDedupeWindow(Duration window) {
        return new LedgerSettings(foldInterval, maxCachedFingerprints, groups, window);
    }

    /** The stricter id claims on a table, or null when the mode is off. */
    public IdClaims claims(DynamoDbClient dynamo, String table, String stream, Clock clock, ExecutorService writers) {
        return globalDedupeWindow.isZero() ? null
                : new DynamoIdClaims(dynamo, table, stream, globalDedupeWindow, clock, writers);
    }

    /** The group (0 to groups - 1) of a tenant or miner. */
    public int groupOf(String owner) {
        return groups == 1 ? 0 : Math.floorMod(owner.hashCode(), groups);
    }
}

package com.poolhub.metering.aws;

import com.poolhub.metering.aws.dynamodb.CompanionWrites;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.aws.dynamodb.UsageLedgerCodec;
import com.poolhub.metering.aws.dynamodb.ledger.DynamoLedgerStore;
import com.poolhub.metering.aws.dynamodb.ledger.FoldSchedule;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.aws.quota.QuotaCounting;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.usage.UsageAggregation;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageEventDecoder;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * Assembles the usage ingest pipeline on DynamoDB, the same way for the Lambda, the local runner,
 * the tests and the benchmark.
 *
 * @param usageTable        the usage aggregates table
 * @param rejectsTable      the rejects table
 * @param lateArrivalLimit  oldest accepted event age, and the deduplication horizon (default 35 days)
 * @param rejectRetention   how long rejects are kept
 * @param writeParallelism  concurrent aggregate writes per batch
 * @param quotas            counting of ingested usage against tenants' quotas; null for none
 * @param ledger            how the ledger is folded, cached and split
 */
public record UsageIngestion(String usageTable, String rejectsTable, Duration lateArrivalLimit,
                             Duration rejectRetention, int writeParallelism, QuotaCounting quotas,
                             LedgerSettings ledger) {
    public static final String STREAM = "usage-events";

    /** Ingestion without quota counting, folding after every batch. */
    public UsageIngestion(String usageTable, String rejectsTable, Duration lateArrivalLimit, Duration rejectRetention,
                          int writeParallelism) {
        this(usageTable, rejectsTable, lateArrivalLimit, rejectRetention, writeParallelism, null,
                LedgerSettings.immediate());
    }

    /** Settings from the environment: table names are required, the rest default. */
    public static UsageIngestion fromEnv(Env env) {
        return new UsageIngestion(Table.USAGE.name(env), Table.REJECTS.name(env),
                IngestSettings.lateArrivalLimit(env), IngestSettings.rejectRetention(env),
                IngestSettings.writeParallelism(env), QuotaCounting.fromEnv(env).orElse(null),
                LedgerSettings.fromEnv(env));
    }

    /** The same settings, counting ingested usage against quotas. */
    public UsageIngestion withQuotas(QuotaCounting counting) {
        return new UsageIngestion(usageTable, rejectsTable, lateArrivalLimit, rejectRetention, writeParallelism, counting,
                ledger);
    }

    /** The same settings with another ledger use. */
    public UsageIngestion withLedger(LedgerSettings settings) {
        return new UsageIngestion(usageTable, rejectsTable, lateArrivalLimit, rejectRetention, writeParallelism, quotas,
                settings);
    }

    /** Minute items outlive the deduplication horizon by a day. */
    public Duration minuteRetention() {
        return IngestSettings.fingerprintRetention(lateArrivalLimit);
    }

    public IngestPipeline<UsageEvent, UsageKey> pipeline(DynamoDbClient dynamo,
                                                         Clock clock) {
        EventPublisher publisher = quotas == null ? null
                : new EventBridgePublisher(AwsClients.eventBridge(), quotas.eventBus());
        return pipeline(dynamo, clock, publisher);
    }

    /**
     * The pipeline; with quota counting configured, ingested usage also counts against quotas (in
     * the aggregate's transaction) and threshold announcements go to {@code publisher}.
     */
    public IngestPipeline<UsageEvent, UsageKey> pipeline(DynamoDbClient dynamo,
                                                         Clock clock, EventPublisher publisher) {
        ExecutorService writers = Workers.pool(writeParallelism, "usage-writer");
        FoldSchedule folds = FoldSchedule.every(ledger.foldInterval(), folder(dynamo, writers));
        ExactlyOnceStore<UsageEvent, UsageKey> store = quotas == null
                ? store(dynamo, writers, folds, CompanionWrites.none())
                : quotas.wrap(dynamo, publisher, clock, companion -> store(dynamo, writers, folds, companion));
        return new IngestPipeline<>(STREAM, new UsageEventDecoder(),
                IngestSettings.timePolicy(clock, lateArrivalLimit), new UsageAggregation(), store,
                new DynamoRejectStore(dynamo, rejectsTable, rejectRetention),
                ledger.claims(dynamo, usageTable, STREAM, clock, writers));
    }

    private DynamoLedgerStore<UsageEvent, UsageKey, UsageTotals> store(DynamoDbClient dynamo, ExecutorService writers,
                                                                      FoldSchedule folds,
                                                                      CompanionWrites<UsageKey, UsageEvent> companions) {
        return new DynamoLedgerStore<>(dynamo, usageTable, new UsageAggregation(),
                new UsageLedgerCodec(minuteRetention(), ledger), writers, companions, folds, ledger.maxCachedFingerprints());
    }

    /** Folds committed usage pages into minute items (the sweep runs before each minute rollup). */
    public LedgerFolder<UsageKey, UsageTotals> folder(DynamoDbClient dynamo) {
        return folder(dynamo, Workers.pool(writeParallelism, "usage-folder"));
    }

    private LedgerFolder<UsageKey, UsageTotals> folder(DynamoDbClient dynamo, ExecutorService writers) {
        return folder(dynamo, usageTable, lateArrivalLimit, writers);
    }

    /**
     * The folder of a usage table's ledger, for the functions that sweep it without ingesting (the
     * rollup); {@code lateArrivalLimit} sets the minute items' expiry as ingest does.
     */
    public static LedgerFolder<UsageKey, UsageTotals> folder(DynamoDbClient dynamo, String usageTable,
                                                             Duration lateArrivalLimit, ExecutorService writers) {
        Duration retention = IngestSettings.fingerprintRetention(lateArrivalLimit);
        return new LedgerFolder<>(dynamo, usageTable, new UsageAggregation(),
                new UsageLedgerCodec(retention, LedgerSettings.immediate()), new UsageAggregateCodec(retention), writers,
                Clock.systemUTC());
    }
}

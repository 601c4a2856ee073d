package com.poolhub.metering.aws;

import com.poolhub.metering.aws.dynamodb.CompanionWrites;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.DynamoLedgerStore;
import com.poolhub.metering.aws.dynamodb.ledger.FoldSchedule;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.aws.telemetry.MinerHourLedgerCodec;
import com.poolhub.metering.aws.telemetry.MinerRegistry;
import com.poolhub.metering.aws.telemetry.RegisteringStore;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.TelemetryAggregation;
import com.poolhub.metering.telemetry.TelemetryEvent;
import com.poolhub.metering.telemetry.TelemetryEventDecoder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Assembles the telemetry ingest pipeline on DynamoDB: the shared {@link IngestPipeline} and
 * exactly-once store with the telemetry decoder, miner-hour aggregation and codec, behind the miner
 * registry.
 *
 * @param telemetryTable   miner-hour items and the miner registry
 * @param rejectsTable     the rejects table
 * @param grid             the heartbeat bucket grid ({@code HEARTBEAT_INTERVAL_SECONDS}, default 60)
 * @param lateArrivalLimit oldest accepted event age, and the deduplication horizon (default 35 days)
 * @param rejectRetention  how long rejects are kept
 * @param writeParallelism concurrent writes per batch
 * @param ledger           how the ledger is folded, cached and split
 */
public record TelemetryIngestion(String telemetryTable, String rejectsTable, BucketGrid grid, Duration lateArrivalLimit,
                                 Duration rejectRetention, int writeParallelism, LedgerSettings ledger) {
    public static final String STREAM = "miner-telemetry";

    /** Ingestion folding after every batch. */
    public TelemetryIngestion(String telemetryTable, String rejectsTable, BucketGrid grid, Duration lateArrivalLimit,
                              Duration rejectRetention, int writeParallelism) {
        this(telemetryTable, rejectsTable, grid, lateArrivalLimit, rejectRetention, writeParallelism,
                LedgerSettings.immediate());
    }

    public static TelemetryIngestion fromEnv(Env env) {
        return new TelemetryIngestion(Table.TELEMETRY.name(env), Table.REJECTS.name(env),
                new BucketGrid(env.intValue("HEARTBEAT_INTERVAL_SECONDS", 60)),
                IngestSettings.lateArrivalLimit(env), IngestSettings.rejectRetention(env),
                IngestSettings.writeParallelism(env), LedgerSettings.fromEnv(env));
    }

    /** Miner-hour items outlive the deduplication horizon by a day. */
    public Duration hourRetention() {
        return IngestSettings.fingerprintRetention(lateArrivalLimit);
    }

    public MinerHourCodec codec() {
        return new MinerHourCodec(grid, hourRetention());
    }

    public IngestPipeline<TelemetryEvent, MinerHourKey> pipeline(DynamoDbClient dynamo, Clock clock) {
        ExecutorService writers = Workers.pool(writeParallelism, "telemetry-writer");
        TelemetryAggregation aggregation = new TelemetryAggregation(grid);
        var hours = new DynamoLedgerStore<>(dynamo, telemetryTable, aggregation, ledgerCodec(), writers,
                CompanionWrites.none(), FoldSchedule.every(ledger.foldInterval(), folder(dynamo, writers)),
                ledger.maxCachedFingerprints());
        return new IngestPipeline<>(STREAM, new TelemetryEventDecoder(),
                IngestSettings.timePolicy(clock, lateArrivalLimit), aggregation,
                new RegisteringStore(new MinerRegistry(dynamo, telemetryTable), hours, writers),
                new DynamoRejectStore(dynamo, rejectsTable, rejectRetention),
                ledger.claims(dynamo, telemetryTable, STREAM, clock, writers));
    }

    /** Folds committed telemetry pages into miner-hour items (the sweep runs before each SLA collection). */
    public LedgerFolder<MinerHourKey, MinerHour> folder(DynamoDbClient dynamo) {
        return folder(dynamo, Workers.pool(writeParallelism, "telemetry-folder"));
    }

    private LedgerFolder<MinerHourKey, MinerHour> folder(DynamoDbClient dynamo, ExecutorService writers) {
        return folder(dynamo, telemetryTable, grid, lateArrivalLimit, writers);
    }

    /**
     * The folder of a telemetry table's ledger, for the functions that sweep it without ingesting
     * (the SLA collection); grid and late-arrival limit as ingest has them.
     */
    public static LedgerFolder<MinerHourKey, MinerHour> folder(DynamoDbClient dynamo, String telemetryTable,
                                                               BucketGrid grid, Duration lateArrivalLimit,
                                                               ExecutorService writers) {
        Duration retention = IngestSettings.fingerprintRetention(lateArrivalLimit);
        MinerHourCodec codec = new MinerHourCodec(grid, retention);
        return new LedgerFolder<>(dynamo, telemetryTable, new TelemetryAggregation(grid),
                new MinerHourLedgerCodec(codec, retention, LedgerSettings.immediate()), codec, writers, Clock.systemUTC());
    }

    private MinerHourLedgerCodec ledgerCodec() {
        return new MinerHourLedgerCodec(codec(), hourRetention(), ledger);
    }
}

package com.poolhub.metering.aws;

import com.poolhub.metering.aws.dynamodb.DynamoExactlyOnceStore;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.aws.telemetry.MinerRegistry;
import com.poolhub.metering.aws.telemetry.RegisteringStore;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.telemetry.BucketGrid;
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
 */
public record TelemetryIngestion(String telemetryTable, String rejectsTable, BucketGrid grid, Duration lateArrivalLimit,
                                 Duration rejectRetention, int writeParallelism) {
    public static final String STREAM = "miner-telemetry";

    public static TelemetryIngestion fromEnv(Env env) {
        return new TelemetryIngestion(Table.TELEMETRY.name(env), Table.REJECTS.name(env),
                new BucketGrid(env.intValue("HEARTBEAT_INTERVAL_SECONDS", 60)),
                IngestSettings.lateArrivalLimit(env), IngestSettings.rejectRetention(env),
                IngestSettings.writeParallelism(env));
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
        var hours = new DynamoExactlyOnceStore<>(dynamo, telemetryTable, aggregation, codec(), writers);
        return new IngestPipeline<>(STREAM, new TelemetryEventDecoder(),
                IngestSettings.timePolicy(clock, lateArrivalLimit), aggregation,
                new RegisteringStore(new MinerRegistry(dynamo, telemetryTable), hours, writers),
                new DynamoRejectStore(dynamo, rejectsTable, rejectRetention));
    }
}

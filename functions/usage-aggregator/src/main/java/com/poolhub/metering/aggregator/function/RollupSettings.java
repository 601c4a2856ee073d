package com.poolhub.metering.aggregator.function;

import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aggregator.timestream.TimestreamClients;
import com.poolhub.metering.aggregator.timestream.TimestreamUsageSink;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.config.AggregateRetention;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.config.LateArrival;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import java.time.Duration;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The aggregator's configuration from the environment: {@code USAGE_TABLE} (required),
 * {@code ROLLUP_PARALLELISM} (8), {@code ROLLUP_MAX_MARKS} (100000 changed windows per step), and the
 * optional Timestream sink: on only when {@code TIMESTREAM_DATABASE} is set, writing to
 * {@code TIMESTREAM_TABLE} (default {@code usage}); {@code AWS_ENDPOINT_URL_TIMESTREAM_WRITE}
 * overrides its endpoint. {@code LATE_ARRIVAL_LIMIT_DAYS} (35) sets the expiry of the minute items
 * the ledger sweep writes, as ingest does; {@code AGGREGATE_RETENTION_DAYS} (400, at least 400) that of
 * the hour, day and month items the rollup writes.
 */
public record RollupSettings(String usageTable, int parallelism, int maxMarksPerStep, String timestreamDatabase,
                             String timestreamTable, Duration lateArrivalLimit, Duration aggregateRetention) {

    public static RollupSettings fromEnv(Env env) {
        return new RollupSettings(Table.USAGE.name(env), env.intValue("ROLLUP_PARALLELISM", 8),
                env.intValue("ROLLUP_MAX_MARKS", 100_000), env.optional("TIMESTREAM_DATABASE", null),
                env.optional("TIMESTREAM_TABLE", "usage"), LateArrival.limit(env), AggregateRetention.fromEnv(env));
    }

    /** The sweep of the usage ledger, writing minute items as ingest would ({@code LATE_ARRIVAL_LIMIT_DAYS}). */
    public LedgerFolder<UsageKey, UsageTotals> ledgerFolder(DynamoDbClient dynamo) {
        return UsageIngestion.folder(dynamo, usageTable, lateArrivalLimit,
                Executors.newFixedThreadPool(parallelism, Workers.daemon("usage-folder")));
    }

    public UsageMetricsSink sink() {
        if (timestreamDatabase == null) {
            return UsageMetricsSink.none();
        }
        return new TimestreamUsageSink(TimestreamClients.write(AwsClients.endpoint("AWS_ENDPOINT_URL_TIMESTREAM_WRITE")),
                timestreamDatabase, timestreamTable);
    }

    public DynamoUsageRollup rollup(DynamoDbClient dynamo, UsageMetricsSink sink) {
        return new DynamoUsageRollup(dynamo, usageTable, sink,
                Executors.newFixedThreadPool(parallelism, Workers.daemon("usage-rollup")), maxMarksPerStep, aggregateRetention);
    }
}

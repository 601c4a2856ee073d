package com.poolhub.metering.aws;

import com.poolhub.metering.aws.dynamodb.DynamoExactlyOnceStore;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.aws.quota.QuotaCounting;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.usage.UsageAggregation;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageEventDecoder;
import com.poolhub.metering.usage.UsageKey;
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
 */
public record UsageIngestion(String usageTable, String rejectsTable, Duration lateArrivalLimit,
                             Duration rejectRetention, int writeParallelism, QuotaCounting quotas) {
    public static final String STREAM = "usage-events";

    /** Ingestion without quota counting. */
    public UsageIngestion(String usageTable, String rejectsTable, Duration lateArrivalLimit, Duration rejectRetention,
                          int writeParallelism) {
        this(usageTable, rejectsTable, lateArrivalLimit, rejectRetention, writeParallelism, null);
    }

    /** Settings from the environment: table names are required, the rest default. */
    public static UsageIngestion fromEnv(Env env) {
        return new UsageIngestion(Table.USAGE.name(env), Table.REJECTS.name(env),
                IngestSettings.lateArrivalLimit(env), IngestSettings.rejectRetention(env),
                IngestSettings.writeParallelism(env), QuotaCounting.fromEnv(env).orElse(null));
    }

    /** The same settings, counting ingested usage against quotas. */
    public UsageIngestion withQuotas(QuotaCounting counting) {
        return new UsageIngestion(usageTable, rejectsTable, lateArrivalLimit, rejectRetention, writeParallelism, counting);
    }

    /** Local defaults: the local table names. */
    public static UsageIngestion local() {
        return new UsageIngestion(Table.USAGE.localName(), Table.REJECTS.localName(),
                EventTimePolicy.DEFAULT_LATE_ARRIVAL, Duration.ofDays(IngestSettings.DEFAULT_REJECT_RETENTION_DAYS),
                IngestSettings.DEFAULT_WRITE_PARALLELISM);
    }

    /** Minute items outlive the deduplication horizon by a day. */
    public Duration minuteRetention() {
        return IngestSettings.fingerprintRetention(lateArrivalLimit);
    }

    public IngestPipeline<UsageEvent, UsageKey> pipeline(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                                         Clock clock) {
        EventPublisher publisher = quotas == null ? null
                : new EventBridgePublisher(AwsClients.eventBridge(), quotas.eventBus());
        return pipeline(dynamo, clock, publisher);
    }

    /**
     * The pipeline; with quota counting configured, ingested usage also counts against quotas (in
     * the aggregate's transaction) and threshold announcements go to {@code publisher}.
     */
    public IngestPipeline<UsageEvent, UsageKey> pipeline(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo,
                                                         Clock clock, EventPublisher publisher) {
        ExecutorService writers = Workers.pool(writeParallelism, "usage-writer");
        UsageAggregation aggregation = new UsageAggregation();
        UsageAggregateCodec codec = new UsageAggregateCodec(minuteRetention());
        ExactlyOnceStore<UsageEvent, UsageKey> store = quotas == null
                ? new DynamoExactlyOnceStore<>(dynamo, usageTable, aggregation, codec, writers)
                : quotas.wrap(dynamo, publisher, clock,
                        companion -> new DynamoExactlyOnceStore<>(dynamo, usageTable, aggregation, codec, writers, companion));
        return new IngestPipeline<>(STREAM, new UsageEventDecoder(),
                IngestSettings.timePolicy(clock, lateArrivalLimit), aggregation, store, new DynamoRejectStore(dynamo, rejectsTable, rejectRetention));
    }
}

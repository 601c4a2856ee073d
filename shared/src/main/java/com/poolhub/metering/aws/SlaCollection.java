package com.poolhub.metering.aws;

import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.sla.DynamoBurnAlertStore;
import com.poolhub.metering.aws.sla.DynamoSlaRepository;
import com.poolhub.metering.aws.telemetry.DynamoTelemetryHistory;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.config.LateArrival;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.sla.BurnRateAlerts;
import com.poolhub.metering.sla.BurnRateCheck;
import com.poolhub.metering.sla.SlaCalculator;
import com.poolhub.metering.sla.SlaCollectionRequests;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaSettings;
import com.poolhub.metering.sla.SlaThresholds;
import com.poolhub.metering.sla.SloSettings;
import com.poolhub.metering.telemetry.BucketGrid;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Assembles the {@link SlaCollector} (and the collection requests) on DynamoDB and EventBridge, the same way for the collector
 * function, the API function, the tests and the benchmark.
 *
 * @param telemetryTable the telemetry table ({@code TELEMETRY_TABLE})
 * @param slaTable       the SLA table ({@code SLA_TABLE})
 * @param grid           the heartbeat grid ({@code HEARTBEAT_INTERVAL_SECONDS}, 60)
 */
public record SlaCollection(String telemetryTable, String slaTable, BucketGrid grid, Duration lateArrivalLimit,
                            SlaThresholds thresholds, SlaSettings settings, SloSettings slo) {

    /** With the default objectives ({@link SloSettings#DEFAULTS}). */
    public SlaCollection(String telemetryTable, String slaTable, BucketGrid grid, Duration lateArrivalLimit,
                         SlaThresholds thresholds, SlaSettings settings) {
        this(telemetryTable, slaTable, grid, lateArrivalLimit, thresholds, settings, SloSettings.DEFAULTS);
    }

    public static SlaCollection fromEnv(Env env) {
        return new SlaCollection(Table.TELEMETRY.name(env), Table.SLA.name(env),
                new BucketGrid(env.intValue("HEARTBEAT_INTERVAL_SECONDS", 60)), LateArrival.limit(env),
                SlaThresholds.fromEnv(env), SlaSettings.fromEnv(env), SloSettings.fromEnv(env));
    }

    /** The sweep that folds committed telemetry pages into miner hours, run before each collection. */
    public LedgerFolder<MinerHourKey, MinerHour> telemetryFolder(DynamoDbClient dynamo) {
        return TelemetryIngestion.folder(dynamo, telemetryTable, grid, lateArrivalLimit,
                Executors.newFixedThreadPool(settings.readParallelism(), Workers.daemon("telemetry-folder")));
    }

    public SlaCollector collector(DynamoDbClient dynamo, EventPublisher publisher, Clock clock) {
        MinerHourCodec codec = new MinerHourCodec(grid, lateArrivalLimit.plusDays(1));
        SlaCalculator calculator = new SlaCalculator(grid);
        return new SlaCollector(new DynamoTelemetryHistory(dynamo, telemetryTable, codec, grid),
                repository(dynamo), publisher, calculator,
                thresholds, settings, clock,
                Executors.newFixedThreadPool(settings.readParallelism(), Workers.daemon("sla-reader")),
                new BurnRateCheck(calculator, slo),
                new BurnRateAlerts(new DynamoBurnAlertStore(dynamo, slaTable, settings.retention()), publisher));
    }

    /** Collections on request, kept in the SLA table, announced on the bus. */
    public SlaCollectionRequests requests(DynamoDbClient dynamo, EventPublisher publisher, Clock clock) {
        return new SlaCollectionRequests(repository(dynamo), publisher, clock, SlaCollectionRequests.LEASE);
    }

    public DynamoSlaRepository repository(DynamoDbClient dynamo) {
        return new DynamoSlaRepository(dynamo, slaTable, settings.retention());
    }

    /** The EventBridge bus events go to ({@code EVENT_BUS_NAME}). */
    public static String busName(Env env) {
        return env.required("EVENT_BUS_NAME");
    }
}

package com.poolhub.metering.usageapi.function;

import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.logging.LambdaLogContext;
import com.poolhub.metering.metrics.EmfMetrics;
import com.poolhub.metering.usageapi.AnomalyAnalysis;
import com.poolhub.metering.usageapi.AnomalyAnnouncer;
import com.poolhub.metering.usageapi.AnomalyScan;
import com.poolhub.metering.usageapi.DynamoAnomalyLog;
import com.poolhub.metering.usageapi.UsageTenants;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The daily EventBridge schedule to the anomaly scan: every tenant with usage is analysed and each
 * new anomaly announced once as {@code UsageAnomalyDetected}. Reads the settings of
 * {@link AnomalySettings} and {@code EVENT_BUS_NAME} (required). Safe to fire twice or late.
 */
public final class AnomalyScanFunction implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final AnomalyScan scan;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private SnapStartPriming priming;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public AnomalyScanFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private AnomalyScanFunction(Env env, DynamoDbClient dynamo) {
        this(fromEnv(env, dynamo));
        this.priming = SnapStartPriming.register("AnomalyScan reads", () -> AwsClients.primeDynamoDb(dynamo, Table.USAGE.name(env)));
    }

    public AnomalyScanFunction(AnomalyScan scan) {
        this.scan = scan;
    }

    private static AnomalyScan fromEnv(Env env, DynamoDbClient dynamo) {
        AnomalySettings settings = AnomalySettings.fromEnv(env);
        Clock clock = Clock.systemUTC();
        AnomalyAnnouncer announcer = new AnomalyAnnouncer(new DynamoAnomalyLog(dynamo, settings.table(), clock),
                new EventBridgePublisher(AwsClients.eventBridge(), env.required("EVENT_BUS_NAME")), clock);
        return new AnomalyScan(new UsageTenants(dynamo, settings.table()),
                new AnomalyAnalysis(settings.costs(dynamo), settings.detector()), announcer, clock);
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            AnomalyScan.Report report = scan.run();
            EmfMetrics.forFunction("AnomalyScan").count("Tenants", report.tenants())
                    .count("Anomalies", report.anomalies()).count("Published", report.published())
                    .count("Unpublished", report.unpublished()).count("FailedTenants", report.failedTenants()).flush();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("tenants", report.tenants());
            summary.put("anomalies", report.anomalies());
            summary.put("published", report.published());
            summary.put("unpublished", report.unpublished());
            summary.put("failedTenants", report.failedTenants());
            return summary;
        }
    }
}

package com.poolhub.metering.billing.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.billing.BillingJson;
import com.poolhub.metering.billing.BillingSync;
import com.poolhub.metering.billing.Sleeper;
import com.poolhub.metering.billing.SyncMetrics;
import com.poolhub.metering.billing.SyncReport;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.metrics.EmfMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Pushes closed usage windows to the coordinator billing API. Invoked by the EventBridge schedule
 * (every {@code BILLING_SYNC_INTERVAL_HOURS}) with a scheduled event, and by API Gateway for
 * {@code POST /sla/billing/sync} (admins), which runs the same sync and answers its counts and the new
 * watermark. Both inputs arrive on one stream; an API Gateway proxy request is told by its
 * {@code httpMethod}.
 */
public final class BillingSyncFunction implements RequestStreamHandler {
    private static final ObjectMapper LAMBDA_EVENTS = Json.mapper().copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final BillingSync sync;
    private final Supplier<EmfMetrics> metrics;
    private final ApiRouter router;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public BillingSyncFunction() {
        this(fromEnv(BillingConfig.syncFromEnv(Env.system())), () -> EmfMetrics.forFunction("BillingSync"));
    }

    public BillingSyncFunction(BillingSync sync, Supplier<EmfMetrics> metrics) {
        this.sync = sync;
        this.metrics = metrics;
        this.router = new ApiRouter().post("/sla/billing/sync", request -> {
            request.caller().requireAdmin();
            return ApiResponse.ok(BillingJson.report(runSync()));
        });
    }

    private static BillingSync fromEnv(BillingConfig config) {
        return BillingWiring.sync(config, AwsClients.dynamoDb(), BillingWiring.secretsManager(),
                BillingWiring.coordinatorHttp(), new EventBridgePublisher(AwsClients.eventBridge(), config.eventBus()),
                Sleeper.threadSleep(), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = LAMBDA_EVENTS.readTree(input);
        Object answer;
        if (event != null && event.hasNonNull("httpMethod")) {
            answer = router.handle(LAMBDA_EVENTS.treeToValue(event, APIGatewayProxyRequestEvent.class));
        } else {
            answer = BillingJson.report(runSync());
        }
        LAMBDA_EVENTS.writeValue(output, answer);
    }

    private SyncReport runSync() {
        SyncReport report = sync.run();
        SyncMetrics.emit(report, metrics.get());
        return report;
    }
}

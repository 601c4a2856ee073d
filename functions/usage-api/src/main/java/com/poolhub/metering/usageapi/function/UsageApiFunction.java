package com.poolhub.metering.usageapi.function;

import com.poolhub.metering.logging.LambdaLogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.PriceBookJson;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.usageapi.DynamoAnomalyLog;
import com.poolhub.metering.usageapi.UsageApi;
import com.poolhub.metering.usageapi.UsageCosts;
import java.nio.file.Path;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway (REST, proxy integration) to the usage routes: {@code GET /usage/{tenant}},
 * {@code GET /usage/{tenant}/trend}, {@code GET /usage/{tenant}/anomalies}. Reads
 * {@code USAGE_TABLE} and {@code EVENT_BUS_NAME} (required), {@code PRICE_BOOK_FILE} (optional:
 * a price book file instead of the one shipped), {@code ANOMALY_Z_THRESHOLD} (3.5),
 * {@code ANOMALY_IQR_MULTIPLIER} (3) and {@code ANOMALY_MIN_DAYS} (7).
 */
public final class UsageApiFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ApiRouter router;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private SnapStartPriming priming;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public UsageApiFunction() {
        this(fromEnv(Env.system(), AwsClients.dynamoDb()));
        this.priming = SnapStartPriming.api("UsageApi", router);
    }

    public UsageApiFunction(UsageApi api) {
        this.router = api.router();
    }

    private static UsageApi fromEnv(Env env, DynamoDbClient dynamo) {
        String table = Table.USAGE.name(env);
        String bus = env.required("EVENT_BUS_NAME");
        PriceBook book = env.isSet("PRICE_BOOK_FILE") ? PriceBookJson.file(Path.of(env.required("PRICE_BOOK_FILE")))
                : PriceBookJson.shipped();
        AnomalyDetector detector = new AnomalyDetector(env.decimal("ANOMALY_Z_THRESHOLD", "3.5").doubleValue(),
                env.decimal("ANOMALY_IQR_MULTIPLIER", "3").doubleValue(), env.intValue("ANOMALY_MIN_DAYS", 7));
        Clock clock = Clock.systemUTC();
        return new UsageApi(new UsageCosts(new DynamoUsageReader(dynamo, table), new UsagePricer(book)), detector,
                new DynamoAnomalyLog(dynamo, table, clock), new EventBridgePublisher(AwsClients.eventBridge(), bus), clock);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event, context);
        }
    }

    private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }
}

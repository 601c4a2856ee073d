package com.poolhub.metering.ingest.function;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.poolhub.metering.aws.dynamodb.Table;
import java.util.List;
import com.poolhub.metering.logging.LambdaLogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.signing.ProducerSigning;
import com.poolhub.metering.aws.lambda.IngestInvocation;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.time.Clock;

/**
 * Kinesis {@code usage-events} to DynamoDB minute aggregates, each event counted exactly once.
 * Refused events are kept with their reason; records hit by a passing fault come back to Lambda as
 * batch item failures (the event source must set {@code ReportBatchItemFailures}).
 */
public final class UsageIngestFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    /** A valid event at the time of priming, read and folded before the SnapStart snapshot. */
    private static final String SAMPLE = "{\"specversion\":\"1.0\",\"id\":\"priming\",\"source\":\"//priming\",\"type\":\"compute.usage.v1\",\"subject\":\"priming\",\"time\":\"%s\",\"data\":{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"quantity\":\"1.5\"}}";
    private final IngestPipeline<UsageEvent, UsageKey> pipeline;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public UsageIngestFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private UsageIngestFunction(Env env, DynamoDbClient dynamo) {
        this(UsageIngestion.fromEnv(env).pipeline(dynamo, Clock.systemUTC())
                .withSignatures(ProducerSigning.fromEnv(env).check(UsageIngestion.STREAM)));
        this.priming = List.of(SnapStartPriming.ingest("UsageIngest", pipeline, SAMPLE),
                SnapStartPriming.register("UsageIngest reads", () -> AwsClients.primeDynamoDb(dynamo, Table.USAGE.name(env))));
    }

    public UsageIngestFunction(IngestPipeline<UsageEvent, UsageKey> pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event, context);
        }
    }

    private StreamsEventResponse handle(KinesisEvent event, Context context) {
        return IngestInvocation.handle(pipeline, event, "UsageIngest");
    }
}

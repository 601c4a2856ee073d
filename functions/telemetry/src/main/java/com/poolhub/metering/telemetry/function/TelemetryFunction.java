package com.poolhub.metering.telemetry.function;

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
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.signing.ProducerSigning;
import com.poolhub.metering.aws.lambda.IngestInvocation;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.TelemetryEvent;
import java.time.Clock;

/**
 * Kinesis {@code miner-telemetry} to per-miner hourly counters in DynamoDB, each event counted
 * exactly once. Refused events are kept with their reason; records hit by a passing fault come back
 * to Lambda as batch item failures (the event source must set {@code ReportBatchItemFailures}).
 */
public final class TelemetryFunction implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    /** A valid heartbeat at the time of priming, read and folded before the SnapStart snapshot. */
    private static final String SAMPLE = "{\"specversion\":\"1.0\",\"id\":\"priming\",\"source\":\"//priming\",\"type\":\"miner.heartbeat.v1\",\"subject\":\"priming\",\"time\":\"%s\",\"data\":{\"status\":\"ONLINE\",\"gpus\":8,\"gpusFree\":4}}";
    private final IngestPipeline<TelemetryEvent, MinerHourKey> pipeline;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public TelemetryFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private TelemetryFunction(Env env, DynamoDbClient dynamo) {
        this(TelemetryIngestion.fromEnv(env).pipeline(dynamo, Clock.systemUTC())
                .withSignatures(ProducerSigning.fromEnv(env).check(TelemetryIngestion.STREAM)));
        this.priming = List.of(SnapStartPriming.ingest("Telemetry", pipeline, SAMPLE),
                SnapStartPriming.register("Telemetry reads", () -> AwsClients.primeDynamoDb(dynamo, Table.TELEMETRY.name(env))));
    }

    public TelemetryFunction(IngestPipeline<TelemetryEvent, MinerHourKey> pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event, context);
        }
    }

    private StreamsEventResponse handle(KinesisEvent event, Context context) {
        return IngestInvocation.handle(pipeline, event, "Telemetry");
    }
}

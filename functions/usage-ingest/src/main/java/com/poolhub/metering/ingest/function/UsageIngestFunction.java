package com.poolhub.metering.ingest.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.UsageIngestion;
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
    private final IngestPipeline<UsageEvent, UsageKey> pipeline;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public UsageIngestFunction() {
        this(UsageIngestion.fromEnv(Env.system()).pipeline(AwsClients.dynamoDb(), Clock.systemUTC()));
    }

    public UsageIngestFunction(IngestPipeline<UsageEvent, UsageKey> pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return IngestInvocation.handle(pipeline, event, "UsageIngest");
    }
}

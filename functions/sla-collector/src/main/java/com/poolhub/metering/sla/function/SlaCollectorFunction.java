package com.poolhub.metering.sla.function;

import com.poolhub.metering.logging.LambdaLogContext;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.metrics.EmfMetrics;
import com.poolhub.metering.sla.CollectionResult;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaJson;
import java.time.Clock;

/**
 * Runs an SLA collection on the EventBridge schedule ({@code SLA_COLLECTION_INTERVAL_SECONDS}, 300,
 * set on the rule). Fails the invocation, after everything is stored, when some events could not be
 * published, so the failure shows; the pending violations go out with the next run.
 */
public final class SlaCollectorFunction implements RequestHandler<ScheduledEvent, ObjectNode> {
    private static final Logger LOG = LoggerFactory.getLogger(SlaCollectorFunction.class);
    private final SlaCollector collector;
    private final LedgerFolder<?, ?> telemetry;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public SlaCollectorFunction() {
        this(collectorFromEnv(Env.system()), SlaCollection.fromEnv(Env.system()).telemetryFolder(AwsClients.dynamoDb()));
    }

    /**
     * @param telemetry the sweep that folds committed telemetry pages into miner hours first, so the
     *                  collection reads everything ingest counted
     */
    public SlaCollectorFunction(SlaCollector collector, LedgerFolder<?, ?> telemetry) {
        this.collector = collector;
        this.telemetry = telemetry;
    }

    static SlaCollector collectorFromEnv(Env env) {
        return SlaCollection.fromEnv(env).collector(AwsClients.dynamoDb(),
                new EventBridgePublisher(AwsClients.eventBridge(), SlaCollection.busName(env)), Clock.systemUTC());
    }

    @Override
    public ObjectNode handleRequest(ScheduledEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event, context);
        }
    }

    private ObjectNode handle(ScheduledEvent event, Context context) {
        LedgerFolder.FoldReport folded = telemetry.foldMarked();
        if (folded.failed() > 0) {
            LOG.warn("{} miner hours could not be folded before the collection; their pages stay for the next one",
                    folded.failed());
        }
        CollectionResult result = collector.collect();
        EmfMetrics.forFunction("SlaCollector")
                .count("Miners", result.miners())
                .count("Violations", result.violations())
                .count("NewViolations", result.newViolations())
                .count("EventsPublished", result.published())
                .count("EventsUnpublished", result.publishFailed())
                .count("LedgerPagesFolded", folded.pages())
                .flush();
        if (result.publishFailed() > 0) {
            throw new IllegalStateException(result.publishFailed() + " events could not be published; "
                    + "they stay pending for the next collection");
        }
        return SlaJson.collection(result);
    }
}

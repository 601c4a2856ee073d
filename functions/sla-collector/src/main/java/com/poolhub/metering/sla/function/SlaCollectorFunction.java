package com.poolhub.metering.sla.function;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
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
import com.poolhub.metering.json.Json;
import com.poolhub.metering.metrics.EmfMetrics;
import com.poolhub.metering.sla.CollectionRequest;
import com.poolhub.metering.sla.CollectionResult;
import com.poolhub.metering.sla.SlaCollectionRequests;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaJson;
import com.poolhub.metering.sla.SlaWindow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs an SLA collection on the EventBridge schedule ({@code SLA_COLLECTION_INTERVAL_SECONDS}, 300,
 * set on the rule) over the default window, and on each {@code SlaCollectionRequested} event (from
 * {@code POST /sla/metrics/collect}) over the window the request recorded, marking the request
 * {@code SUCCEEDED} or {@code FAILED}; a redelivered request event runs nothing twice. Fails the
 * invocation, after everything is stored, when some events could not be published, so the failure
 * shows; the pending violations go out with the next run.
 */
public final class SlaCollectorFunction implements RequestHandler<ScheduledEvent, ObjectNode> {
    private static final Logger LOG = LoggerFactory.getLogger(SlaCollectorFunction.class);
    private final SlaCollector collector;
    private final SlaCollectionRequests requests;
    private final LedgerFolder<?, ?> telemetry;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private SnapStartPriming priming;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public SlaCollectorFunction() {
        this(Env.system(), AwsClients.dynamoDb(), publisher(Env.system()));
    }

    private SlaCollectorFunction(Env env, DynamoDbClient dynamo, EventBridgePublisher publisher) {
        this(SlaCollection.fromEnv(env), dynamo, publisher, Clock.systemUTC());
        this.priming = SnapStartPriming.register("SlaCollector reads", () -> AwsClients.primeDynamoDb(dynamo, Table.SLA.name(env)));
    }

    private SlaCollectorFunction(SlaCollection collection, DynamoDbClient dynamo, EventBridgePublisher publisher, Clock clock) {
        this(collection.collector(dynamo, publisher, clock), collection.requests(dynamo, publisher, clock),
                collection.telemetryFolder(dynamo));
    }

    /**
     * @param requests  the collections requested through the API, claimed and marked here
     * @param telemetry the sweep that folds committed telemetry pages into miner hours first, so the
     *                  collection reads everything ingest counted
     */
    public SlaCollectorFunction(SlaCollector collector, SlaCollectionRequests requests, LedgerFolder<?, ?> telemetry) {
        this.collector = collector;
        this.requests = requests;
        this.telemetry = telemetry;
    }

    private static EventBridgePublisher publisher(Env env) {
        return new EventBridgePublisher(AwsClients.eventBridge(), SlaCollection.busName(env));
    }

    @Override
    public ObjectNode handleRequest(ScheduledEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event);
        }
    }

    private ObjectNode handle(ScheduledEvent event) {
        if (!SlaCollectionRequests.REQUESTED_EVENT.equals(event.getDetailType())) {
            return SlaJson.collection(failIfUnpublished(collect(collector.defaultWindow())));
        }
        Object id = event.getDetail() == null ? null : event.getDetail().get("collectionId");
        ObjectNode answer = Json.object();
        if (!(id instanceof String collectionId) || !SlaCollectionRequests.isId(collectionId)) {
            LOG.warn("{} event without a collection id: {}", SlaCollectionRequests.REQUESTED_EVENT, event.getDetail());
            answer.put("ignored", "the event names no collection id");
            return answer;
        }
        List<CollectionResult> ran = new ArrayList<>(1);
        Optional<CollectionRequest> request = requests.run(collectionId, window -> {
            CollectionResult result = collect(window);
            ran.add(result);
            return result;
        });
        ran.forEach(SlaCollectorFunction::failIfUnpublished);
        answer.put("collectionId", collectionId);
        answer.put("status", request.map(r -> r.status().name()).orElse(null));
        answer.set("result", request.map(CollectionRequest::result).orElse(null));
        return answer;
    }

    /** Folds committed telemetry, collects over the window and reports the counts as metrics. */
    private CollectionResult collect(SlaWindow window) {
        LedgerFolder.FoldReport folded = telemetry.foldMarked();
        if (folded.failed() > 0) {
            LOG.warn("{} miner hours could not be folded before the collection; their pages stay for the next one",
                    folded.failed());
        }
        CollectionResult result = collector.collect(window);
        EmfMetrics.forFunction("SlaCollector")
                .count("Miners", result.miners())
                .count("Violations", result.violations())
                .count("NewViolations", result.newViolations())
                .count("EventsPublished", result.published())
                .count("EventsUnpublished", result.publishFailed())
                .count("LedgerPagesFolded", folded.pages())
                .flush();
        return result;
    }

    /** The collection is stored (a request marked SUCCEEDED); the invocation still fails so it shows. */
    private static CollectionResult failIfUnpublished(CollectionResult result) {
        if (result.publishFailed() > 0) {
            throw new IllegalStateException(result.publishFailed() + " events could not be published; "
                    + "they stay pending for the next collection");
        }
        return result;
    }
}

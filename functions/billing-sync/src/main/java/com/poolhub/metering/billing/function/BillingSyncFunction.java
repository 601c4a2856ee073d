package com.poolhub.metering.billing.function;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import java.time.Instant;
import com.poolhub.metering.usage.UtcTimes;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditActor;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.billing.BillingJson;
import com.poolhub.metering.billing.BillingSync;
import com.poolhub.metering.billing.SyncMetrics;
import com.poolhub.metering.billing.SyncReport;
import com.poolhub.metering.billing.SyncRunLog;
import com.poolhub.metering.billing.invoice.InvoiceIssuer;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.logging.LambdaLogContext;
import com.poolhub.metering.metrics.EmfMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes closed usage windows to the coordinator billing API and issues closed months' invoices.
 * Invoked by the EventBridge schedule (every {@code BILLING_SYNC_INTERVAL_HOURS}) with a scheduled
 * event: sync, then invoices (each runs even if the other failed; a failure is rethrown after both, so
 * the invocation is retried). Invoked by API Gateway for {@code POST /sla/billing/sync} (admins): the
 * same sync, answering its counts and the new watermark. Every run's report is kept in the run log. Both inputs arrive on one stream; an API
 * Gateway proxy request is told by its {@code httpMethod}.
 */
public final class BillingSyncFunction implements RequestStreamHandler, RoutedFunction {
    private static final Logger LOG = LoggerFactory.getLogger(BillingSyncFunction.class);
    /** The principal of the audit records of scheduled runs. */
    static final String PRINCIPAL = "BillingSyncFunction";
    private static final ObjectMapper LAMBDA_EVENTS = Json.mapper().copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final BillingSync sync;
    private final InvoiceIssuer issuer;
    private final Supplier<EmfMetrics> metrics;
    private final SyncRunLog runs;
    private final ApiRouter router;
    private final AuditLog audit;
    private final Clock clock;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private SnapStartPriming priming;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public BillingSyncFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private BillingSyncFunction(Env env, DynamoDbClient dynamo) {
        this(BillingWiring.scheduledWork(env, dynamo, Clock.systemUTC(), DynamoAuditLog.fromEnv(dynamo, env, Clock.systemUTC())));
        KeyRates.limit(router, env, dynamo);
        this.priming = SnapStartPriming.register("BillingSync reads", () -> AwsClients.primeDynamoDb(dynamo, Table.BILLING.name(env)));
    }

    private BillingSyncFunction(BillingWiring.ScheduledWork work) {
        this(work.sync(), work.issuer(), work.runs(), () -> EmfMetrics.forFunction("BillingSync"), work.audit(),
                Clock.systemUTC());
    }

    /**
     * Each run's report is kept in {@code runs} ({@code GET /sla/billing/runs} lists them); each run
     * is recorded in {@code audit} first (BILLING_SYNC_RUN), and does not run when that fails.
     */
    public BillingSyncFunction(BillingSync sync, InvoiceIssuer issuer, SyncRunLog runs, Supplier<EmfMetrics> metrics,
                               AuditLog audit, Clock clock) {
        this.sync = sync;
        this.issuer = issuer;
        this.runs = runs;
        this.metrics = metrics;
        this.audit = audit;
        this.clock = clock;
        this.router = new ApiRouter().post("/sla/billing/sync", request -> {
            request.caller().requireAdmin();
            return ApiResponse.ok(BillingJson.report(runSync(SyncRunLog.Trigger.API, request.auditActor())));
        });
    }

    @Override
    public List<String> routes() {
        return router.routes();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            handle(input, output, context);
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = LAMBDA_EVENTS.readTree(input);
        Object answer;
        if (event != null && event.hasNonNull("httpMethod")) {
            answer = router.handle(LAMBDA_EVENTS.treeToValue(event, APIGatewayProxyRequestEvent.class));
        } else {
            answer = scheduled();
        }
        LAMBDA_EVENTS.writeValue(output, answer);
    }

    private ObjectNode scheduled() {
        ObjectNode answer = Json.object();
        RuntimeException failure = null;
        try {
            answer.set("sync", BillingJson.report(runSync(SyncRunLog.Trigger.SCHEDULE, AuditActor.system(PRINCIPAL))));
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            List<InvoiceIssuer.IssueReport> months = issuer.issueClosedMonths();
            ArrayNode invoices = answer.putArray("invoices");
            int issued = 0;
            int announced = 0;
            for (InvoiceIssuer.IssueReport month : months) {
                issued += month.issued();
                announced += month.announced();
                invoices.addObject().put("month", month.month().toString()).put("issued", month.issued())
                        .put("announced", month.announced()).put("skippedEmpty", month.skippedEmpty())
                        .put("monthComplete", month.monthComplete());
            }
            metrics.get().count("InvoicesIssued", issued).count("InvoicesAnnounced", announced).flush();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return answer;
    }

    /**
     * One sync, its metrics, and its report kept in the run log. A run whose report cannot be kept
     * still did its work (records sent, watermark moved), so that failure is logged, not rethrown.
     */
    private SyncReport runSync(SyncRunLog.Trigger trigger, AuditActor actor) {
        Instant through = sync.watermark().through();
        ObjectNode before = Json.object().put("watermark", through == null ? null : UtcTimes.format(through));
        ObjectNode after = Json.object().put("trigger", trigger.name())
                .put("billsThrough", UtcTimes.format(sync.closedBefore(clock.instant())));
        audit.append(actor, new AuditChange(AuditTypes.BILLING_SYNC_RUN, "billing-sync", before, after));
        SyncReport report = sync.run();
        SyncMetrics.emit(report, metrics.get());
        try {
            runs.record(report, trigger);
        } catch (RuntimeException e) {
            LOG.warn("the report of the sync run at {} could not be kept in the run log", report.ranAt(), e);
        }
        return report;
    }
}

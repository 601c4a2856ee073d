package com.poolhub.metering.aggregator.function;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.logging.LambdaLogContext;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.RollupReport;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.metrics.EmfMetrics;
import com.poolhub.metering.usage.Granularity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EventBridge schedules to usage rollups: changed minutes into hours, hours into days, days into
 * months (UTC). The schedule's {@code detail.rollup} picks one step ({@code MINUTE}, {@code HOUR},
 * {@code DAY}: the granularity rolled up); without it every step runs in order. Safe to fire twice,
 * late, or concurrently.
 */
public final class UsageAggregatorFunction implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final DynamoUsageRollup rollup;
    private final LedgerFolder<?, ?> ledger;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private SnapStartPriming priming;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public UsageAggregatorFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private UsageAggregatorFunction(Env env, DynamoDbClient dynamo) {
        this(RollupSettings.fromEnv(env), dynamo);
        this.priming = SnapStartPriming.register("UsageAggregator reads", () -> AwsClients.primeDynamoDb(dynamo, Table.USAGE.name(env)));
    }

    private UsageAggregatorFunction(RollupSettings settings, DynamoDbClient dynamo) {
        this(settings.rollup(dynamo, settings.sink()), settings.ledgerFolder(dynamo));
    }

    /**
     * @param ledger the sweep that folds committed usage pages into minute items before the minute
     *               step, so the rollup sums everything ingest counted
     */
    public UsageAggregatorFunction(DynamoUsageRollup rollup, LedgerFolder<?, ?> ledger) {
        this.rollup = rollup;
        this.ledger = ledger;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event, context);
        }
    }

    private Map<String, Object> handle(ScheduledEvent event, Context context) {
        List<Granularity> steps = steps(event);
        Map<String, Object> summary = new LinkedHashMap<>();
        if (steps.contains(Granularity.MINUTE)) {
            LedgerFolder.FoldReport folded = ledger.foldMarked();
            EmfMetrics.forFunction("UsageAggregator").dimension("Step", "LEDGER")
                    .count("Scopes", folded.scopes()).count("Pages", folded.pages())
                    .count("Written", folded.written()).count("Failed", folded.failed()).flush();
            summary.put("LEDGER", Map.of("scopes", folded.scopes(), "pages", folded.pages(),
                    "written", folded.written(), "failed", folded.failed()));
        }
        List<RollupReport> reports = new ArrayList<>();
        for (Granularity step : steps) {
            reports.add(rollup.run(step));
        }
        for (RollupReport report : reports) {
            EmfMetrics.forFunction("UsageAggregator").dimension("Step", report.from().name())
                    .count("Marks", report.marks()).count("Written", report.written())
                    .count("UpToDate", report.upToDate()).count("Superseded", report.superseded())
                    .count("Kept", report.kept()).count("Failed", report.failed())
                    .count("SinkRefused", report.sinkRefused()).flush();
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("marks", report.marks());
            step.put("written", report.written());
            step.put("upToDate", report.upToDate());
            step.put("superseded", report.superseded());
            step.put("cleared", report.cleared());
            step.put("kept", report.kept());
            step.put("failed", report.failed());
            step.put("sinkRefused", report.sinkRefused());
            summary.put(report.from().name(), step);
        }
        return summary;
    }

    /** The steps a schedule asks for; an unknown value fails the invocation loudly (a template error). */
    static List<Granularity> steps(ScheduledEvent event) {
        Object step = event == null || event.getDetail() == null ? null : event.getDetail().get("rollup");
        if (step == null || "ALL".equals(step)) {
            return List.of(Granularity.MINUTE, Granularity.HOUR, Granularity.DAY);
        }
        Granularity granularity;
        try {
            granularity = Granularity.valueOf(step.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("detail.rollup must be MINUTE, HOUR, DAY or ALL, was " + step);
        }
        if (granularity == Granularity.MONTH) {
            throw new IllegalArgumentException("detail.rollup must be MINUTE, HOUR, DAY or ALL: months roll into nothing");
        }
        return List.of(granularity);
    }
}

package com.poolhub.metering.ingest.function;

import com.poolhub.metering.logging.LambdaLogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.rejects.RejectJson;
import com.poolhub.metering.ingest.rejects.RejectOperations;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's tool for kept rejects, invoked directly (console, CLI or {@code sam local invoke}):
 * {@code {"day": "2026-11-22", "limit": 100, "dryRun": true}} lists a day's rejects of a stream
 * ({@code "stream"}: {@code "usage-events"}, the default, or {@code "miner-telemetry"}) with their
 * reasons; without {@code dryRun} it replays them through that stream's pipeline, counting each
 * event that is valid now exactly once. A reject is removed only when its event is counted (now or
 * already); one still refused is kept with its new reason, one whose write failed is left as it was,
 * so replaying again is always safe. Answers with counts and the rejects it saw. A replay is recorded
 * in the audit trail first (REJECTS_REPLAYED, role OPERATOR); when that fails nothing is replayed. The same operations
 * ({@link RejectOperations}) serve {@code GET /rejects/{stream}} and {@code POST /rejects/{stream}/replay}.
 */
public final class RejectReplayFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final String USAGE = "expected {\"stream\": \"" + UsageIngestion.STREAM + "\" (default) or \""
            + TelemetryIngestion.STREAM + "\", \"day\": \"yyyy-MM-dd\", \"limit\": 1..1000, \"dryRun\": true|false, "
            + "\"nextToken\": \"...\"}";

    private final RejectOperations operations;

    public RejectReplayFunction() {
        this(RejectOperations.fromEnv(AwsClients.dynamoDb(), Env.system(), Clock.systemUTC()));
    }

    /** Replays each stream's rejects through the pipeline given for that stream name, each replay audited first. */
    public RejectReplayFunction(Map<String, IngestPipeline<?, ?>> pipelines, RejectStore rejects, AuditLog audit) {
        this(new RejectOperations(pipelines, rejects, audit));
    }

    public RejectReplayFunction(RejectOperations operations) {
        this.operations = operations;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> request, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(request, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> request, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        Map<String, Object> fields = request == null ? Map.of() : request;
        String stream = fields.get("stream") == null ? UsageIngestion.STREAM : String.valueOf(fields.get("stream"));
        if (!operations.knows(stream)) {
            answer.put("error", "unknown stream " + stream + "; " + USAGE);
            return answer;
        }
        LocalDate day;
        int limit;
        try {
            day = LocalDate.parse(String.valueOf(fields.get("day")));
            limit = fields.get("limit") == null ? 100 : Integer.parseInt(String.valueOf(fields.get("limit")));
            if (limit < 1 || limit > 1000) {
                throw new NumberFormatException("limit");
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            answer.put("error", USAGE);
            return answer;
        }
        String token = fields.get("nextToken") == null ? null : String.valueOf(fields.get("nextToken"));
        RejectStore.Page page = operations.list(stream, day, limit, token);
        answer.put("stream", stream);
        answer.put("listed", page.items().size());
        answer.put("nextToken", page.nextToken());
        if (Boolean.parseBoolean(String.valueOf(fields.get("dryRun")))) {
            answer.put("rejects", RejectJson.describe(page.items()));
            return answer;
        }
        RejectOperations.Outcome outcome;
        try {
            outcome = operations.replay(AuditActor.invoker(AuditActor.OPERATOR, getClass().getSimpleName(),
                        context == null ? null : context.getAwsRequestId()),
                    stream, day, page.items());
        } catch (AuditUnavailableException e) {
            answer.put("error", "the replay could not be recorded in the audit trail, so nothing was replayed; try again");
            return answer;
        }
        answer.put("replayed", outcome.replayed().size());
        answer.put("stillRejected", RejectJson.describe(outcome.stillRejected()));
        answer.put("failed", outcome.failed());
        return answer;
    }
}

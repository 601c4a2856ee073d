package com.poolhub.metering.ingest.function;

import com.poolhub.metering.logging.LambdaLogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The operator's tool for kept usage rejects, invoked directly (console, CLI or
 * {@code sam local invoke}): {@code {"day": "2026-11-22", "limit": 100, "dryRun": true}} lists a
 * day's rejects with their reasons; without {@code dryRun} it replays them, counting each event that
 * is valid now exactly once and removing its reject. Answers with counts and the rejects it saw.
 */
public final class RejectReplayFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final IngestPipeline<UsageEvent, UsageKey> pipeline;
    private final RejectStore rejects;

    public RejectReplayFunction() {
        this(AwsClients.dynamoDb(), UsageIngestion.fromEnv(Env.system()));
    }

    private RejectReplayFunction(DynamoDbClient dynamo, UsageIngestion settings) {
        this(settings.pipeline(dynamo, Clock.systemUTC()),
                new DynamoRejectStore(dynamo, settings.rejectsTable(), settings.rejectRetention()));
    }

    public RejectReplayFunction(IngestPipeline<UsageEvent, UsageKey> pipeline, RejectStore rejects) {
        this.pipeline = pipeline;
        this.rejects = rejects;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> request, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(request, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> request, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        LocalDate day;
        int limit;
        try {
            day = LocalDate.parse(String.valueOf(request == null ? null : request.get("day")));
            limit = request.get("limit") == null ? 100 : Integer.parseInt(String.valueOf(request.get("limit")));
            if (limit < 1 || limit > 1000) {
                throw new NumberFormatException("limit");
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            answer.put("error", "expected {\"day\": \"yyyy-MM-dd\", \"limit\": 1..1000, \"dryRun\": true|false, \"nextToken\": \"...\"}");
            return answer;
        }
        String token = request.get("nextToken") == null ? null : String.valueOf(request.get("nextToken"));
        RejectStore.Page page = rejects.list(UsageIngestion.STREAM, day, limit, token);
        answer.put("listed", page.items().size());
        answer.put("nextToken", page.nextToken());
        if (Boolean.parseBoolean(String.valueOf(request.get("dryRun")))) {
            answer.put("rejects", describe(page.items()));
            return answer;
        }
        IngestPipeline.ReplayReport report = pipeline.replay(page.items());
        report.accepted().forEach(rejects::delete);
        answer.put("replayed", report.accepted().size());
        answer.put("stillRejected", describe(report.stillRefused()));
        answer.put("failed", report.failed().size());
        return answer;
    }

    private static List<Map<String, Object>> describe(List<RejectedRecord> items) {
        List<Map<String, Object>> described = new ArrayList<>();
        for (RejectedRecord reject : items) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("shardId", reject.shardId());
            entry.put("sequenceNumber", reject.sequenceNumber());
            entry.put("index", reject.index());
            entry.put("arrivedAt", reject.arrivedAt().toString());
            entry.put("reasonCode", reject.rejection().code());
            entry.put("reason", reject.rejection().message());
            described.add(entry);
        }
        return described;
    }
}

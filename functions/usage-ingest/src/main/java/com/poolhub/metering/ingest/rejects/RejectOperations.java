package com.poolhub.metering.ingest.rejects;

import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.signing.ProducerSigning;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import java.time.Clock;
import java.time.Instant;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.json.Json;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What an operator does with kept rejects, for the direct-invoke tool and the API alike: list a
 * stream's rejects of a UTC arrival day, read chosen ones by key, and replay rejects through their
 * stream's pipeline. A replayed reject is resolved only when its event is counted (now, or already:
 * the pipeline counts an event once however often it is replayed); one still refused is kept under
 * the same key with its new reason; one whose write failed is left as it was, so replaying again is
 * always safe.
 */
public final class RejectOperations {
    private final Map<String, IngestPipeline<?, ?>> pipelines;
    private final RejectStore rejects;
    private final AuditLog audit;
    private final Clock clock;

    /**
     * Replays each stream's rejects through the pipeline given for that stream name, each replay
     * recorded in {@code audit} before it runs.
     */
    public RejectOperations(Map<String, IngestPipeline<?, ?>> pipelines, RejectStore rejects, AuditLog audit) {
        this(pipelines, rejects, audit, Clock.systemUTC());
    }

    /** The same, stamping resolutions with {@code clock}. */
    public RejectOperations(Map<String, IngestPipeline<?, ?>> pipelines, RejectStore rejects, AuditLog audit, Clock clock) {
        this.pipelines = Map.copyOf(pipelines);
        this.rejects = rejects;
        this.audit = audit;
        this.clock = clock;
    }

    /** Both streams' pipelines and the rejects table, from the ingest functions' environment. */
    public static RejectOperations fromEnv(DynamoDbClient dynamo, Env env, Clock clock) {
        UsageIngestion usage = UsageIngestion.fromEnv(env);
        TelemetryIngestion telemetry = TelemetryIngestion.fromEnv(env);
        ProducerSigning signing = ProducerSigning.fromEnv(env);
        return new RejectOperations(Map.of(
                        UsageIngestion.STREAM, usage.pipeline(dynamo, clock).withSignatures(signing.check(UsageIngestion.STREAM)),
                        TelemetryIngestion.STREAM,
                        telemetry.pipeline(dynamo, clock).withSignatures(signing.check(TelemetryIngestion.STREAM))),
                new DynamoRejectStore(dynamo, usage.rejectsTable(), usage.rejectRetention()),
                DynamoAuditLog.fromEnv(dynamo, env, clock), clock);
    }

    /** The stream names rejects can be listed and replayed for, sorted. */
    public Set<String> streams() {
        return new TreeSet<>(pipelines.keySet());
    }

    public boolean knows(String stream) {
        return pipelines.containsKey(stream);
    }

    /** A page of a stream's rejects that arrived on a UTC day, oldest first. */
    public RejectStore.Page list(String stream, LocalDate day, int limit, String nextToken) {
        return rejects.list(stream, day, limit, nextToken);
    }

    /** The kept rejects of a stream and day with these {@link RejectedRecord#key() keys}. */
    public List<RejectedRecord> find(String stream, LocalDate day, Collection<String> keys) {
        return rejects.find(stream, day, keys);
    }

    /**
     * What a replay did.
     *
     * @param replayed      rejects whose event is counted now (or was already), resolved
     * @param stillRejected rejects refused again, kept with their new reason
     * @param failed        rejects left as they were (the count or the new reason could not be written)
     */
    public record Outcome(List<RejectedRecord> replayed, List<RejectedRecord> stillRejected, int failed) {
    }

    /**
     * Replays rejects of one stream and arrival day through its pipeline, after recording who replays
     * which rejects (REJECTS_REPLAYED); nothing is replayed when that record cannot be written
     * ({@link com.poolhub.metering.audit.AuditUnavailableException}). An empty choice changes nothing
     * and records nothing.
     */
    public Outcome replay(AuditActor actor, String stream, LocalDate day, List<RejectedRecord> kept) {
        IngestPipeline<?, ?> pipeline = pipelines.get(stream);
        if (pipeline == null) {
            throw new IllegalArgumentException("unknown stream " + stream);
        }
        if (kept.isEmpty()) {
            return new Outcome(List.of(), List.of(), 0);
        }
        ObjectNode before = Json.object().put("stream", stream).put("day", day.toString());
        ArrayNode ids = before.putArray("rejects");
        kept.forEach(reject -> ids.add(RejectIds.of(reject)));
        audit.append(actor, new AuditChange(AuditTypes.REJECTS_REPLAYED, stream + "/" + day, before,
                Json.object().put("action", "REPLAY").put("rejects", kept.size())));
        IngestPipeline.ReplayReport report = pipeline.replay(kept);
        Instant now = clock.instant();
        report.accepted().forEach(reject -> rejects.resolve(reject, now));
        List<RejectedRecord> unsaved = report.stillRefused().isEmpty() ? List.of() : rejects.save(report.stillRefused());
        return new Outcome(report.accepted(), report.stillRefused(), report.failed().size() + unsaved.size());
    }
}

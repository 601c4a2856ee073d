package com.poolhub.metering.audit.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.audit.AuditChainCheck;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditPage;
import com.poolhub.metering.audit.AuditQuery;
import com.poolhub.metering.audit.AuditReader;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The admin routes of the audit trail: {@code GET /audit} lists records oldest first, filtered by
 * time range, type and principal, in pages; {@code GET /audit/verify?day=} verifies a day's chain.
 */
public final class AuditRoutes {
    /** The range listed when the request names none: the last day. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    private final AuditReader reader;
    private final AuditChainCheck check;
    private final Clock clock;

    public AuditRoutes(AuditReader reader, AuditChainCheck check, Clock clock) {
        this.reader = reader;
        this.check = check;
        this.clock = clock;
    }

    public ApiRouter router() {
        return new ApiRouter()
                .get("/audit", this::list)
                .get("/audit/verify", this::verify);
    }

    private ApiResponse list(ApiRequest request) {
        request.caller().requireAdmin();
        Instant to = request.queryInstant("to").orElse(clock.instant());
        Instant from = request.queryInstant("from").orElse(to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        if (Duration.between(from, to).compareTo(AuditQuery.MAX_RANGE) > 0) {
            throw ApiException.badRequest("the range from to to must be at most 400 days");
        }
        Optional<String> type = request.query("type").map(value -> {
            if (!AuditChange.TYPE.matcher(value).matches()) {
                throw ApiException.badRequest("type must match " + AuditChange.TYPE.pattern() + ", e.g. QUOTA_LIMITS_SET");
            }
            return value;
        });
        Optional<String> principal = request.queryId("principal");
        int limit = request.limit();
        AuditQuery query = new AuditQuery(from, to, type, principal);
        AuditPage page = reader.page(query, request.nextToken(), limit);
        ObjectNode out = Json.object();
        out.put("from", from.toString());
        out.put("to", to.toString());
        ArrayNode records = out.putArray("records");
        for (AuditRecord record : page.records()) {
            records.add(AuditJson.record(record));
        }
        out.put("nextToken", request.nextTokenAt(page.next()));
        return ApiResponse.ok(out);
    }

    private ApiResponse verify(ApiRequest request) {
        request.caller().requireAdmin();
        String text = request.query("day").orElseThrow(() -> ApiException.badRequest("day is required (yyyy-MM-dd)"));
        LocalDate day;
        try {
            day = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("day must be a date yyyy-MM-dd");
        }
        if (day.isAfter(clock.instant().atZone(ZoneOffset.UTC).toLocalDate())) {
            throw ApiException.badRequest("day must not be in the future");
        }
        return ApiResponse.ok(AuditJson.verification(check.verify(day)));
    }
}

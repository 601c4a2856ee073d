package com.poolhub.metering.quota.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.aws.quota.IdempotentResponse;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.DataFields;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.QuotaStanding;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code /quota} routes of CONTRACT §3: parse and validate, check the caller, call the
 * {@link QuotaService}, and write its answer with decimals as strings and times in RFC 3339 UTC.
 */
public final class QuotaRoutes {
    static final BigDecimal DEFAULT_SOFT_LIMIT_PCT = BigDecimal.valueOf(80);
    private static final int MAX_DIGITS = 18;
    private static final int MAX_DECIMALS = 9;
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final QuotaService service;
    private final AuditLog audit;

    /** @param audit where each change of limits is recorded before it is made */
    public QuotaRoutes(QuotaService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    public ApiRouter router() {
        return new ApiRouter()
                .post("/quota/check", this::check)
                .post("/quota/consume", this::consume)
                .put("/quota/limits/{tenant}", this::putLimits)
                .get("/quota/{tenant}", this::overview);
    }

    /** A check or consume body: the tenant acted for, the resource, unit and amount. */
    private record Ask(String tenant, Resource resource, UsageUnit unit, BigDecimal amount) {
    }

    private Ask ask(ApiRequest request) {
        Caller caller = request.caller();
        JsonNode body = request.body();
        DataFields fields = new DataFields(body);
        String named = fields.optionalMatching("tenant", CloudEventReader.SUBJECT)
                .or(() -> request.queryId("tenant")).orElse(null);
        String tenant = caller.tenantFor(named);
        Resource resource = resource(fields);
        UsageUnit unit = unit(fields, resource);
        BigDecimal amount = nonNegative(fields, "amount");
        return new Ask(tenant, resource, unit, amount);
    }

    private ApiResponse check(ApiRequest request) {
        Ask ask = ask(request);
        Consumption answer = service.check(ask.tenant(), ask.resource(), ask.unit(), ask.amount());
        return ApiResponse.ok(answer(ask, answer));
    }

    private ApiResponse consume(ApiRequest request) {
        Ask ask = ask(request);
        Optional<String> key = idempotencyKey(request);
        if (key.isEmpty()) {
            return consumed(ask, service.consume(ask.tenant(), ask.resource(), ask.unit(), ask.amount()));
        }
        QuotaService.KeyedAnswer answer = service.consume(ask.tenant(), ask.resource(), ask.unit(), ask.amount(),
                new QuotaService.IdempotencyKey(key.get(), granted -> Json.write(answer(ask, granted))));
        if (answer.keyReused()) {
            throw ApiException.conflict("Idempotency-Key " + key.get() + " was already used with another request");
        }
        if (answer.replayed() != null) {
            return replay(answer.replayed());
        }
        return consumed(ask, answer.fresh());
    }

    /** The optional {@code Idempotency-Key} header: 1 to 128 of {@code [A-Za-z0-9._:-]}. */
    private static Optional<String> idempotencyKey(ApiRequest request) {
        return request.header(IDEMPOTENCY_HEADER).map(value -> {
            if (!IDEMPOTENCY_KEY.matcher(value).matches()) {
                throw ApiException.badRequest(IDEMPOTENCY_HEADER + " must match [A-Za-z0-9._:-]{1,128}");
            }
            return value;
        });
    }

    private static ApiResponse replay(IdempotentResponse recorded) {
        try {
            return new ApiResponse(recorded.status(), Json.parse(recorded.body()), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("recorded consume response is not JSON", e);
        }
    }

    private static ApiResponse consumed(Ask ask, Consumption answer) {
        return switch (answer.outcome()) {
            case GRANTED, CHECKED -> ApiResponse.ok(answer(ask, answer));
            case QUOTA_EXCEEDED -> {
                QuotaStanding binding = answer.binding();
                throw ApiException.tooManyRequests("QUOTA_EXCEEDED", "the " + binding.quota().period()
                        + " quota on " + ask.resource() + " " + ask.unit().wire() + " is " + plain(binding.quota().limit())
                        + "; used " + plain(binding.used()) + ", requested " + plain(ask.amount())
                        + "; it resets at " + UtcTimes.format(binding.resetAt()), seconds(answer));
            }
            case RATE_LIMITED -> throw ApiException.tooManyRequests("RATE_LIMITED", "the rate limit of "
                    + answer.rate().perMinute() + " requests a minute (burst " + answer.rate().burst()
                    + ") is reached", seconds(answer));
            case BUSY -> throw ApiException.tooManyRequests("BUSY",
                    "too many concurrent requests on this quota; try again", seconds(answer));
        };
    }

    private static long seconds(Consumption answer) {
        long millis = answer.retryAfter().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private ApiResponse putLimits(ApiRequest request) {
        request.caller().requireAdmin();
        String tenant = request.pathId("tenant");
        JsonNode body = request.body();
        DataFields fields = new DataFields(body);
        Resource resource = resource(fields);
        UsageUnit unit = unit(fields, resource);
        QuotaPeriod period = fields.requiredEnum("period", QuotaPeriod::parse, QuotaPeriod.values());
        BigDecimal limit = nonNegative(fields, "limit");
        BigDecimal softLimitPct = body.hasNonNull("softLimitPct")
                ? fields.requiredDecimal("softLimitPct", MAX_DIGITS, MAX_DECIMALS) : DEFAULT_SOFT_LIMIT_PCT;
        if (softLimitPct.signum() < 0 || softLimitPct.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw ApiException.badRequest("softLimitPct must be between 0 and 100");
        }
        boolean hard = true;
        if (body.hasNonNull("hard")) {
            if (!body.get("hard").isBoolean()) {
                throw ApiException.badRequest("hard must be true or false");
            }
            hard = body.get("hard").booleanValue();
        }
        Optional<Optional<RateLimit>> rate = Optional.empty();
        if (body.has("rate")) {
            JsonNode node = body.get("rate");
            if (node.isNull()) {
                rate = Optional.of(Optional.empty());
            } else if (!node.isObject()) {
                throw ApiException.badRequest("rate must be an object {perMinute, burst} or null");
            } else {
                DataFields rateFields = new DataFields(node);
                rate = Optional.of(Optional.of(new RateLimit(
                        rateFields.requiredLong("perMinute", 1, RateLimit.MAX),
                        rateFields.requiredLong("burst", 1, RateLimit.MAX))));
            }
        }
        QuotaLimit quota = new QuotaLimit(resource, unit, period, limit, softLimitPct, hard);
        ObjectNode out = Json.object();
        out.put("tenant", tenant);
        writeLimit(out, quota);
        rate.ifPresent(change -> change.ifPresentOrElse(r -> writeRate(out.putObject("rate"), r), () -> out.putNull("rate")));
        audit.append(request.auditActor(), new AuditChange(AuditTypes.QUOTA_LIMITS_SET, tenant,
                limitsBefore(tenant, quota, rate.isPresent()), out));
        service.setLimits(tenant, quota, rate);
        return ApiResponse.ok(out);
    }

    /** The tenant's limit for the quota's resource, unit and period before a change, and its rate limit if the change sets it. */
    private ObjectNode limitsBefore(String tenant, QuotaLimit changed, boolean rateChanges) {
        QuotaService.Overview overview = service.overview(tenant);
        ObjectNode before = Json.object();
        before.put("tenant", tenant);
        overview.quotas().stream().map(QuotaStanding::quota)
                .filter(q -> q.resource() == changed.resource() && q.unit() == changed.unit() && q.period() == changed.period())
                .findFirst().ifPresentOrElse(q -> writeLimit(before, q), () -> before.putNull("limit"));
        if (rateChanges) {
            if (overview.rate() == null) {
                before.putNull("rate");
            } else {
                writeRate(before.putObject("rate"), overview.rate());
            }
        }
        return before;
    }

    private ApiResponse overview(ApiRequest request) {
        String tenant = request.pathId("tenant");
        request.caller().requireTenantOrAdmin(tenant);
        QuotaService.Overview overview = service.overview(tenant);
        ObjectNode out = Json.object();
        out.put("tenant", tenant);
        ArrayNode quotas = out.putArray("quotas");
        for (QuotaStanding standing : overview.quotas()) {
            ObjectNode node = quotas.addObject();
            writeLimit(node, standing.quota());
            node.put("used", plain(standing.used()));
            node.put("remaining", plain(standing.remaining()));
            node.put("status", standing.status().name());
            node.put("periodStart", UtcTimes.format(standing.periodStart()));
            node.put("resetAt", UtcTimes.format(standing.resetAt()));
        }
        if (overview.rate() == null) {
            out.putNull("rate");
        } else {
            ObjectNode rate = out.putObject("rate");
            writeRate(rate, overview.rate());
            rate.put("tokensAvailable", overview.tokensNow());
        }
        return ApiResponse.ok(out);
    }

    private static ObjectNode answer(Ask ask, Consumption answer) {
        boolean granted = answer.outcome() == Consumption.Outcome.GRANTED;
        ObjectNode out = Json.object();
        out.put("tenant", ask.tenant());
        out.put("resource", ask.resource().name());
        out.put("unit", ask.unit().wire());
        QuotaStanding binding = answer.binding();
        if (binding == null) {
            out.put("status", "AVAILABLE");
            out.putNull("limit");
            out.putNull("used");
            out.put("requested", plain(ask.amount()));
            out.putNull("remaining");
            out.putNull("resetAt");
        } else {
            writeFigures(out, binding, granted);
            out.put("requested", plain(ask.amount()));
        }
        if (granted) {
            out.put("granted", true);
        }
        ArrayNode quotas = out.putArray("quotas");
        for (QuotaStanding standing : answer.standings()) {
            ObjectNode node = quotas.addObject();
            node.put("period", standing.quota().period().name());
            writeFigures(node, standing, granted);
            node.put("softLimitPct", plain(standing.quota().softLimitPct()));
            node.put("hard", standing.quota().hard());
        }
        if (answer.rate() != null && answer.tokensLeft() >= 0) {
            ObjectNode rate = out.putObject("rate");
            writeRate(rate, answer.rate());
            rate.put("tokensLeft", answer.tokensLeft());
        }
        return out;
    }

    /** A check reports use before the request; a granted consume reports use after it. */
    private static void writeFigures(ObjectNode out, QuotaStanding standing, boolean granted) {
        QuotaStanding shown = granted ? standing.granted() : standing;
        out.put("status", standing.status().name());
        out.put("limit", plain(standing.quota().limit()));
        out.put("used", plain(shown.used()));
        out.put("remaining", plain(shown.remaining()));
        out.put("resetAt", UtcTimes.format(standing.resetAt()));
    }

    private static void writeLimit(ObjectNode out, QuotaLimit quota) {
        out.put("resource", quota.resource().name());
        out.put("unit", quota.unit().wire());
        out.put("period", quota.period().name());
        out.put("limit", plain(quota.limit()));
        out.put("softLimitPct", plain(quota.softLimitPct()));
        out.put("hard", quota.hard());
    }

    private static void writeRate(ObjectNode out, RateLimit rate) {
        out.put("perMinute", rate.perMinute());
        out.put("burst", rate.burst());
    }

    private static Resource resource(DataFields fields) {
        return fields.requiredEnum("resource", Resource::parse, Resource.values());
    }

    private static UsageUnit unit(DataFields fields, Resource resource) {
        UsageUnit unit = fields.requiredEnum("unit", UsageUnit::parse,
                Arrays.stream(UsageUnit.values()).map(UsageUnit::wire).toArray());
        if (!unit.appliesTo(resource)) {
            throw ApiException.badRequest("unit " + unit.wire() + " does not apply to resource " + resource);
        }
        return unit;
    }

    private static BigDecimal nonNegative(DataFields fields, String field) {
        BigDecimal value = fields.requiredDecimal(field, MAX_DIGITS, MAX_DECIMALS);
        if (value.signum() < 0) {
            throw ApiException.badRequest(field + " must be ≥ 0, was " + value.toPlainString());
        }
        return value;
    }

    private static String plain(BigDecimal value) {
        return value.toPlainString();
    }
}

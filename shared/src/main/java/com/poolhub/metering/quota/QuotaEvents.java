package com.poolhub.metering.quota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;

/** The quota events of CONTRACT §4, with every figure a subscriber needs in the detail. */
public final class QuotaEvents {
    public static final String THRESHOLD_CROSSED = "QuotaThresholdCrossed";
    public static final String EXCEEDED = "QuotaExceeded";

    private QuotaEvents() {
    }

    /** A period's use reached a threshold; published once per threshold per period. */
    public static DomainEvent thresholdCrossed(String tenant, QuotaLimit quota, Threshold threshold,
                                               Instant periodStart, BigDecimal used, Instant now) {
        ObjectNode detail = quotaDetail(tenant, quota, periodStart);
        detail.put("threshold", threshold.name());
        detail.put("thresholdPct", threshold == Threshold.SOFT ? plain(quota.softLimitPct()) : "100");
        detail.put("thresholdAmount", plain(quota.amountAt(threshold)));
        detail.put("used", plain(used));
        return new DomainEvent(THRESHOLD_CROSSED, detail, now);
    }

    /**
     * A hard limit refused a request; published for the first refusal of each UTC minute per quota
     * period, with {@code refusals} = the quota's refusals in the period so far (this one included).
     */
    public static DomainEvent exceeded(String tenant, QuotaStanding refused, long refusals, Instant now) {
        ObjectNode detail = quotaDetail(tenant, refused.quota(), refused.periodStart());
        detail.put("used", plain(refused.used()));
        detail.put("requested", plain(refused.requested()));
        detail.put("remaining", plain(refused.remaining()));
        detail.put("refusals", refusals);
        return new DomainEvent(EXCEEDED, detail, now);
    }

    private static ObjectNode quotaDetail(String tenant, QuotaLimit quota, Instant periodStart) {
        ObjectNode detail = Json.object();
        detail.put("tenant", tenant);
        detail.put("resource", quota.resource().name());
        detail.put("unit", quota.unit().wire());
        detail.put("period", quota.period().name());
        detail.put("periodStart", UtcTimes.format(periodStart));
        detail.put("resetAt", UtcTimes.format(quota.period().resetAt(periodStart)));
        detail.put("limit", plain(quota.limit()));
        detail.put("softLimitPct", plain(quota.softLimitPct()));
        detail.put("hard", quota.hard());
        return detail;
    }

    /** A decimal as the contract writes it: plain, never in exponent form. */
    public static String plain(BigDecimal value) {
        return value.toPlainString();
    }
}

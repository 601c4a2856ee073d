package com.poolhub.metering.aws.quota;

import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.quota.Threshold;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One (tenant, resource, unit) quota item as read or as a write returned it: the settings version,
 * the quotas (one per period at most), the rate limit and its bucket's TAT, and every period
 * counter it holds (layout in {@link QuotaItems}).
 *
 * @param rate null for no rate limit
 * @param tat  the bucket's theoretical arrival time; null for a full bucket
 */
public record QuotaItem(String tenant, Resource resource, UsageUnit unit, long version, List<QuotaLimit> limits,
                        RateLimit rate, BigInteger tat, Map<String, AttributeValue> attributes) {
    private static final Pattern PERIOD_ATTRIBUTE = Pattern.compile("(.+)_(HOUR|DAY|MONTH)_(\\d+)");

    public QuotaItem {
        limits = List.copyOf(limits);
        attributes = Map.copyOf(attributes);
    }

    /** Decodes an item; null for an absent one. */
    static QuotaItem decode(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return null;
        }
        String[] sk = item.get("sk").s().split("#", 2);
        Resource resource = Resource.valueOf(sk[0]);
        UsageUnit unit = UsageUnit.parse(sk[1]).orElseThrow();
        String pk = item.get("pk").s();
        String tenant = pk.substring(0, pk.length() - QuotaItems.ITEM_PARTITION.length());
        List<QuotaLimit> limits = new ArrayList<>();
        for (QuotaPeriod period : QuotaPeriod.values()) {
            AttributeValue limit = item.get(QuotaItems.LIMIT + period);
            if (limit != null) {
                limits.add(new QuotaLimit(resource, unit, period, new BigDecimal(limit.n()),
                        new BigDecimal(item.get(QuotaItems.SOFT_LIMIT_PCT + period).n()),
                        item.get(QuotaItems.HARD + period).bool()));
            }
        }
        AttributeValue perMinute = item.get(QuotaItems.PER_MINUTE);
        RateLimit rate = perMinute == null ? null
                : new RateLimit(Long.parseLong(perMinute.n()), Long.parseLong(item.get(QuotaItems.BURST).n()));
        AttributeValue tat = item.get(QuotaItems.TAT);
        AttributeValue version = item.get(QuotaItems.VERSION);
        return new QuotaItem(tenant, resource, unit, version == null ? 0 : Long.parseLong(version.n()), limits, rate,
                tat == null ? null : new BigInteger(tat.n()), item);
    }

    /** Whether nothing limits a consume: no quota and no rate limit. */
    public boolean unlimited() {
        return limits.isEmpty() && rate == null;
    }

    /** The counter of the period holding {@code t} for each quota, in period order. */
    public List<PeriodKey> counters(Instant t) {
        return limits.stream().map(quota -> PeriodKey.of(tenant, quota, t)).toList();
    }

    /** One period counter's use, announced thresholds and pending settlement; zero when absent. */
    public PeriodUse use(PeriodKey key) {
        AttributeValue used = attributes.get(QuotaItems.periodAttribute(QuotaItems.USED, key));
        Set<Threshold> announced = EnumSet.noneOf(Threshold.class);
        for (Threshold threshold : Threshold.values()) {
            if (attributes.containsKey(QuotaItems.periodAttribute(QuotaItems.announcedKind(threshold), key))) {
                announced.add(threshold);
            }
        }
        AttributeValue settleAt = attributes.get(QuotaItems.periodAttribute(QuotaItems.SETTLE_AT, key));
        return new PeriodUse(used == null ? BigDecimal.ZERO : new BigDecimal(used.n()), announced,
                settleAt == null ? null : Instant.parse(settleAt.s()));
    }

    /** Whether any counter of the periods holding {@code now} is due to be reconciled with the usage aggregates. */
    public boolean settlesBy(Instant now) {
        return counters(now).stream().anyMatch(key -> use(key).settlesBy(now));
    }

    /**
     * Counter attributes of periods that ended before the previous period began: nothing decides on
     * them any more (ingest counts late usage in the current and the previous period only).
     */
    public List<String> staleAttributes(Instant now) {
        List<String> stale = new ArrayList<>();
        for (String name : attributes.keySet()) {
            Matcher matcher = PERIOD_ATTRIBUTE.matcher(name);
            if (matcher.matches()) {
                QuotaPeriod period = QuotaPeriod.valueOf(matcher.group(2));
                Instant start = Instant.ofEpochSecond(Long.parseLong(matcher.group(3)));
                if (start.isBefore(previousStart(period, now))) {
                    stale.add(name);
                }
            }
        }
        return stale;
    }

    /** The start of the period before the one holding {@code now}. */
    static Instant previousStart(QuotaPeriod period, Instant now) {
        return period.start(period.start(now).minusMillis(1));
    }
}

package com.poolhub.metering.quota.function;

import com.poolhub.metering.aws.RetryPolicy;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.aws.quota.IdempotentResponse;
import com.poolhub.metering.aws.quota.QuotaItem;
import com.poolhub.metering.aws.quota.QuotaSeeder;
import com.poolhub.metering.aws.quota.ThresholdNotifier;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.quota.GcraBucket;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaEvents;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaStanding;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota checks, consumption and settings. Everything about one resource and unit is one item, so a
 * consume is one conditional UpdateItem decided on the item as this container last saw it
 * ({@link KnownItems}): the write's condition carries the settings version, each hard limit and the
 * bucket's token, and it returns the new item (the answer and the thresholds) or, when the condition
 * fails, the old one (a refusal's figures, or newer settings to decide on again). A check is one
 * consistent GetItem.
 */
public final class QuotaService {
    /** Writes tried before a consume gives up with {@link Consumption.Outcome#BUSY}. */
    static final int MAX_ATTEMPTS = 12;
    /** How long a consume's {@code Idempotency-Key} holds its recorded response. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    private static final Logger LOG = LoggerFactory.getLogger(QuotaService.class);

    private final DynamoQuotaStore store;
    private final EventPublisher publisher;
    private final ThresholdNotifier notifier;
    private final Clock clock;
    private final QuotaSeeder seeder;
    private final KnownItems known = new KnownItems();

    /** A service whose quotas count only what is added after they are set (no usage table to seed from). */
    public QuotaService(DynamoQuotaStore store, EventPublisher publisher, Clock clock) {
        this(store, publisher, clock, null);
    }

    /** @param seeder starts each quota set from its period's usage so far; null for none */
    public QuotaService(DynamoQuotaStore store, EventPublisher publisher, Clock clock, QuotaSeeder seeder) {
        this.store = store;
        this.publisher = publisher;
        this.notifier = new ThresholdNotifier(store, publisher, clock);
        this.clock = clock;
        this.seeder = seeder;
    }

    /**
     * The item read consistently (one GetItem); when a counter of the current periods is due to
     * settle, it is seeded once more first and read again. Null when the resource and unit have no settings.
     */
    private QuotaItem read(String tenant, Resource resource, UsageUnit unit, Instant now) {
        QuotaItem item = store.item(tenant, resource, unit).orElse(null);
        if (item != null && seeder != null && item.settlesBy(now)) {
            Map<PeriodKey, PeriodUse> use = new LinkedHashMap<>();
            item.counters(now).forEach(key -> use.put(key, item.use(key)));
            seeder.settled(use);
            return read(tenant, resource, unit, now);
        }
        known.seen(tenant, resource, unit, item);
        return item;
    }

    /** Each quota's figures in the period holding {@code now}, from the item's counters less {@code already}. */
    private static List<QuotaStanding> standings(QuotaItem item, BigDecimal amount, BigDecimal already, Instant now) {
        List<QuotaStanding> standings = new ArrayList<>();
        for (QuotaLimit quota : item.limits()) {
            PeriodKey key = PeriodKey.of(item.tenant(), quota, now);
            standings.add(new QuotaStanding(quota, item.use(key).used().subtract(already), amount, key.start(),
                    key.resetAt()));
        }
        return standings;
    }

    /** What consuming {@code amount} would lead to; changes nothing. One consistent GetItem. */
    public Consumption check(String tenant, Resource resource, UsageUnit unit, BigDecimal amount) {
        Instant now = clock.instant();
        QuotaItem item = read(tenant, resource, unit, now);
        if (item == null) {
            return new Consumption(Consumption.Outcome.CHECKED, List.of(), null, -1, Duration.ZERO);
        }
        return new Consumption(Consumption.Outcome.CHECKED, standings(item, amount, BigDecimal.ZERO, now), item.rate(),
                -1, Duration.ZERO);
    }

    /**
     * Checks and, if every hard quota and the rate limit allow it, counts {@code amount}, atomically.
     * Decided on the item as last seen: when it grants, the conditional write is the only request
     * (it fails and returns the current item if anything changed); when it refuses, the refusal is
     * confirmed on a fresh read first, since the settings may have changed elsewhere.
     */
    public Consumption consume(String tenant, Resource resource, UsageUnit unit, BigDecimal amount) {
        boolean raced = false;
        boolean fresh = false;
        QuotaItem item = known.get(tenant, resource, unit);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (raced) {
                RetryPolicy.WRITE_RACES.sleep(attempt);
            }
            Instant now = clock.instant();
            if (item == null || (seeder != null && item.settlesBy(now))) {
                item = read(tenant, resource, unit, now);
                fresh = true;
            }
            if (item == null || item.unlimited()) {
                return new Consumption(Consumption.Outcome.GRANTED, List.of(), null, -1, Duration.ZERO);
            }
            if (refuses(item, amount, now)) {
                if (fresh) {
                    return refusal(item, amount, now);
                }
                item = null;
                continue;
            }
            DynamoQuotaStore.ConsumeResult result = store.consume(write(item, amount, now));
            QuotaItem seen = result.item();
            known.seen(tenant, resource, unit, seen);
            if (result.written()) {
                return granted(seen, amount, now);
            }
            // what the failed write returned is the item as it is: refuse on it, or decide again on it
            raced = seen != null && seen.version() == item.version() && Objects.equals(seen.tat(), item.tat());
            item = seen;
            fresh = true;
        }
        return new Consumption(Consumption.Outcome.BUSY, List.of(), null, -1, Duration.ofSeconds(1));
    }

    /** The write a consume of {@code amount} that this item grants sends; its take null without a rate limit. */
    private static DynamoQuotaStore.ConsumeWrite write(QuotaItem item, BigDecimal amount, Instant now) {
        List<DynamoQuotaStore.CounterAdd> adds = new ArrayList<>();
        for (QuotaLimit quota : item.limits()) {
            adds.add(new DynamoQuotaStore.CounterAdd(PeriodKey.of(item.tenant(), quota, now), amount,
                    quota.hard() ? quota.limit().subtract(amount) : null));
        }
        GcraBucket bucket = item.rate() == null ? null : new GcraBucket(item.rate());
        GcraBucket.Take take = bucket == null ? null : bucket.take(item.tat(), now.toEpochMilli());
        return new DynamoQuotaStore.ConsumeWrite(item.tenant(), item.resource(), item.unit(), item.version(), adds,
                bucket, take, now.toEpochMilli());
    }

    /** Whether the item refuses the consume: a hard quota it would exceed, or an empty bucket. */
    private static boolean refuses(QuotaItem item, BigDecimal amount, Instant now) {
        if (standings(item, amount, BigDecimal.ZERO, now).stream().anyMatch(s -> !s.allowed())) {
            return true;
        }
        return item.rate() != null && !new GcraBucket(item.rate()).take(item.tat(), now.toEpochMilli()).granted();
    }

    /** A granted consume's answer from the item its write returned; announces the thresholds it reached. */
    private Consumption granted(QuotaItem after, BigDecimal amount, Instant now) {
        for (QuotaLimit quota : after.limits()) {
            PeriodKey key = PeriodKey.of(after.tenant(), quota, now);
            PeriodUse use = after.use(key);
            notifier.announce(key, quota, use, use.used());
        }
        pruneQuietly(after, now);
        long tokensLeft = after.rate() == null ? -1 : new GcraBucket(after.rate()).tokensAt(after.tat(), now.toEpochMilli());
        return new Consumption(Consumption.Outcome.GRANTED, standings(after, amount, amount, now), after.rate(),
                tokensLeft, Duration.ZERO);
    }

    /** Removes counters of finished periods from the item once they are stale (about once a period). */
    private void pruneQuietly(QuotaItem item, Instant now) {
        List<String> stale = item.staleAttributes(now);
        if (stale.isEmpty()) {
            return;
        }
        try {
            store.prune(item, stale);
        } catch (RuntimeException e) {
            LOG.warn("stale quota counters not removed: tenant={} error={}", item.tenant(), e.getClass().getSimpleName());
        }
    }

    /**
     * The refusal of a consume the item refuses: a hard quota (counted and announced, see
     * {@link #refuse}) before the rate limit (nothing written).
     */
    private Consumption refusal(QuotaItem item, BigDecimal amount, Instant now) {
        List<QuotaStanding> standings = standings(item, amount, BigDecimal.ZERO, now);
        List<QuotaStanding> refusing = standings.stream().filter(s -> !s.allowed()).toList();
        if (!refusing.isEmpty()) {
            return refuse(item, standings, refusing, now);
        }
        GcraBucket.Take take = new GcraBucket(item.rate()).take(item.tat(), now.toEpochMilli());
        return new Consumption(Consumption.Outcome.RATE_LIMITED, standings, item.rate(), 0, take.retryAfter());
    }

    /**
     * A consume under an {@code Idempotency-Key}: the first granted consume with the key records its
     * response in the same write that counts it; a repeat of the same request within
     * {@link #IDEMPOTENCY_WINDOW} gets that response back and counts nothing; another request with
     * the key gets {@link KeyedAnswer#keyReused()}. Refusals are not recorded. Each attempt reads
     * the item (GetItem) and writes one TransactWriteItems.
     *
     * @param keyed null for a consume without a key (exactly {@link #consume(String, Resource, UsageUnit, BigDecimal)})
     */
    public KeyedAnswer consume(String tenant, Resource resource, UsageUnit unit, BigDecimal amount, IdempotencyKey keyed) {
        if (keyed == null) {
            return KeyedAnswer.fresh(consume(tenant, resource, unit, amount));
        }
        String requestHash = requestHash(tenant, resource, unit, amount);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                RetryPolicy.WRITE_RACES.sleep(attempt);
            }
            Instant now = clock.instant();
            QuotaItem item = read(tenant, resource, unit, now);
            Consumption granted;
            DynamoQuotaStore.ConsumeWrite write = null;
            if (item == null || item.unlimited()) {
                granted = new Consumption(Consumption.Outcome.GRANTED, List.of(), null, -1, Duration.ZERO);
            } else {
                List<QuotaStanding> standings = standings(item, amount, BigDecimal.ZERO, now);
                if (refuses(item, amount, now)) {
                    return earlier(tenant, keyed, requestHash, now)
                            .orElseGet(() -> KeyedAnswer.fresh(refusal(item, amount, now)));
                }
                write = write(item, amount, now);
                granted = new Consumption(Consumption.Outcome.GRANTED, standings, item.rate(),
                        write.take() == null ? -1 : write.take().tokensLeft(), Duration.ZERO);
            }
            IdempotentResponse record = new IdempotentResponse(keyed.key(), requestHash, 200,
                    keyed.grantedBody().apply(granted), now.plus(IDEMPOTENCY_WINDOW).truncatedTo(ChronoUnit.SECONDS));
            DynamoQuotaStore.RecordedResult result = store.consumeRecorded(tenant, write, record, now);
            if (result == DynamoQuotaStore.RecordedResult.WRITTEN) {
                if (item != null) {
                    for (QuotaStanding standing : granted.standings()) {
                        PeriodKey key = PeriodKey.of(tenant, standing.quota(), now);
                        notifier.announce(key, standing.quota(), item.use(key), standing.projected());
                    }
                }
                return KeyedAnswer.fresh(granted);
            }
            if (result == DynamoQuotaStore.RecordedResult.ALREADY_RECORDED) {
                Optional<KeyedAnswer> earlier = earlier(tenant, keyed, requestHash, now);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            LOG.debug("keyed consume raced another writer: tenant={} result={} attempt={}", tenant, result, attempt);
        }
        return KeyedAnswer.fresh(new Consumption(Consumption.Outcome.BUSY, List.of(), null, -1, Duration.ofSeconds(1)));
    }

    /** The answer recorded under the key, if it holds one: a replay for the same request, a reuse for another. */
    private Optional<KeyedAnswer> earlier(String tenant, IdempotencyKey keyed, String requestHash, Instant now) {
        return store.recorded(tenant, keyed.key(), now).map(record -> record.requestHash().equals(requestHash)
                ? new KeyedAnswer(null, record, false) : new KeyedAnswer(null, null, true));
    }

    /**
     * Identifies a consume request: SHA-256 of tenant, resource, unit and the amount (numerically,
     * so {@code 1.50} and {@code 1.5} are the same request).
     */
    static String requestHash(String tenant, Resource resource, UsageUnit unit, BigDecimal amount) {
        String canonical = tenant + "\n" + resource.name() + "\n" + unit.wire() + "\n"
                + amount.stripTrailingZeros().toPlainString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the runtime", e);
        }
    }

    /** A consume's {@code Idempotency-Key} and how a granted answer becomes the response body to record. */
    public record IdempotencyKey(String key, Function<Consumption, String> grantedBody) {
    }

    /**
     * A keyed consume's answer: exactly one of {@code fresh} (decided now), {@code replayed} (the
     * response recorded for the same request) or {@code keyReused} (the key holds another request's response).
     */
    public record KeyedAnswer(Consumption fresh, IdempotentResponse replayed, boolean keyReused) {
        static KeyedAnswer fresh(Consumption consumption) {
            return new KeyedAnswer(consumption, null, false);
        }
    }

    /**
     * A hard refusal: one UpdateItem counts it on every refusing counter of the item; the first
     * refusal of each counter and UTC minute publishes {@code QuotaExceeded} with the count so far.
     */
    private Consumption refuse(QuotaItem item, List<QuotaStanding> standings, List<QuotaStanding> refusing, Instant now) {
        Instant resetAt = refusing.stream().map(QuotaStanding::resetAt).max(Instant::compareTo).orElseThrow();
        List<DomainEvent> events = new ArrayList<>();
        try {
            List<PeriodKey> keys = refusing.stream()
                    .map(s -> PeriodKey.of(item.tenant(), s.quota(), s.periodStart())).toList();
            Map<PeriodKey, DynamoQuotaStore.Refusal> counted = store.refused(keys, now);
            for (QuotaStanding standing : refusing) {
                DynamoQuotaStore.Refusal refusal = counted.get(PeriodKey.of(item.tenant(), standing.quota(),
                        standing.periodStart()));
                if (refusal != null && refusal.announce()) {
                    events.add(QuotaEvents.exceeded(item.tenant(), standing, refusal.refusals(), now));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("quota refusal not counted: tenant={} error={}", item.tenant(), e.getClass().getSimpleName());
        }
        if (!events.isEmpty()) {
            try {
                publisher.publish(events);
            } catch (RuntimeException e) {
                LOG.warn("QuotaExceeded not published: tenant={} error={}", item.tenant(), e.getClass().getSimpleName());
            }
        }
        for (QuotaLimit quota : item.limits()) {
            PeriodKey key = PeriodKey.of(item.tenant(), quota, now);
            PeriodUse use = item.use(key);
            notifier.announce(key, quota, use, use.used());
        }
        return new Consumption(Consumption.Outcome.QUOTA_EXCEEDED, standings, item.rate(), -1,
                Duration.between(now, resetAt));
    }

    /**
     * Sets one quota (started from its period's usage so far, see {@link QuotaSeeder}) and, when
     * {@code rate} is given, the rate limit of its resource and unit ({@code Optional.empty()} inside
     * removes it).
     */
    public void setLimits(String tenant, QuotaLimit quota, Optional<Optional<RateLimit>> rate) {
        store.putSettings(tenant, quota, rate, clock.instant());
        if (seeder != null) {
            seeder.started(tenant, quota);
        }
    }

    /**
     * A tenant's quotas with their use in the current periods, and a rate limit with the tokens there
     * now (that of the first resource and unit, in resource order, that has one).
     */
    public record Overview(String tenant, List<QuotaStanding> quotas, RateLimit rate, long tokensNow) {
    }

    public Overview overview(String tenant) {
        Instant now = clock.instant();
        List<QuotaItem> items = store.items(tenant);
        if (seeder != null && items.stream().anyMatch(item -> item.settlesBy(now))) {
            Map<PeriodKey, PeriodUse> use = new LinkedHashMap<>();
            items.forEach(item -> item.counters(now).forEach(key -> use.put(key, item.use(key))));
            seeder.settled(use);
            items = store.items(tenant);
        }
        List<QuotaStanding> quotas = new ArrayList<>();
        RateLimit rate = null;
        long tokens = -1;
        for (QuotaItem item : items) {
            quotas.addAll(standings(item, BigDecimal.ZERO, BigDecimal.ZERO, now));
            if (rate == null && item.rate() != null) {
                rate = item.rate();
                tokens = new GcraBucket(rate).tokensAt(item.tat(), now.toEpochMilli());
            }
        }
        return new Overview(tenant, quotas, rate, tokens);
    }
}

package com.poolhub.metering.quota.function;

import com.poolhub.metering.aws.RetryPolicy;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.aws.quota.IdempotentResponse;
import com.poolhub.metering.aws.quota.QuotaSeeder;
import com.poolhub.metering.aws.quota.ThresholdNotifier;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaEvents;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaStanding;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.quota.TenantQuotas;
import com.poolhub.metering.quota.TokenBucket;
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
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota checks, consumption and settings. A consume reads the tenant's settings on the resource,
 * its bucket and the period counters (one BatchGetItem, every key known in advance), decides, and writes the bucket and counters in
 * one conditional write; if the bucket or a hard counter moved since the read, the write changes
 * nothing and the request is decided again from a fresh read.
 */
public final class QuotaService {
    /** Reads and writes tried before a consume gives up with {@link Consumption.Outcome#BUSY}. */
    static final int MAX_ATTEMPTS = 12;
    /** How long a consume's {@code Idempotency-Key} holds its recorded response. */
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    private static final Logger LOG = LoggerFactory.getLogger(QuotaService.class);

    private final DynamoQuotaStore store;
    private final EventPublisher publisher;
    private final ThresholdNotifier notifier;
    private final Clock clock;

    private final QuotaSeeder seeder;

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

    /** A tenant's settings and one quota's figures. */
    private record Reading(TenantQuotas settings, Map<PeriodKey, QuotaLimit> quotas, Map<PeriodKey, PeriodUse> use,
                           List<QuotaStanding> standings) {
    }

    /** The settings and counters a check or consume needs: one consistent BatchGetItem. */
    private Reading read(String tenant, Resource resource, UsageUnit unit, BigDecimal amount, Instant now) {
        DynamoQuotaStore.Snapshot snapshot = store.readFor(tenant, resource, unit, now);
        return reading(snapshot.settings(), snapshot.settings().limits(), snapshot.use(), amount, now);
    }

    /**
     * The figures of the given quotas in the periods holding {@code now}, from their counters as
     * read (null: read them now, one BatchGetItem, none without quotas).
     */
    private Reading reading(TenantQuotas settings, List<QuotaLimit> limits, Map<PeriodKey, PeriodUse> counters,
                            BigDecimal amount, Instant now) {
        Map<PeriodKey, QuotaLimit> quotas = new LinkedHashMap<>();
        for (QuotaLimit quota : limits) {
            quotas.put(PeriodKey.of(settings.tenant(), quota, now), quota);
        }
        Map<PeriodKey, PeriodUse> read = counters != null ? counters
                : quotas.isEmpty() ? Map.of() : store.use(quotas.keySet());
        Map<PeriodKey, PeriodUse> use = seeder == null || read.isEmpty() ? read : seeder.settled(read);
        List<QuotaStanding> standings = new ArrayList<>();
        quotas.forEach((key, quota) -> standings.add(
                new QuotaStanding(quota, use.get(key).used(), amount, key.start(), key.resetAt())));
        return new Reading(settings, quotas, use, standings);
    }

    /** What consuming {@code amount} would lead to; changes nothing. */
    public Consumption check(String tenant, Resource resource, UsageUnit unit, BigDecimal amount) {
        Reading reading = read(tenant, resource, unit, amount, clock.instant());
        return new Consumption(Consumption.Outcome.CHECKED, reading.standings(), reading.settings().rate(), -1,
                Duration.ZERO);
    }

    /** Checks and, if every hard quota and the rate limit allow it, counts {@code amount}, atomically. */
    public Consumption consume(String tenant, Resource resource, UsageUnit unit, BigDecimal amount) {
        return consume(tenant, resource, unit, amount, null).fresh();
    }

    /**
     * A consume under an {@code Idempotency-Key}: the first granted consume with the key records its
     * response in the same write that counts it; a repeat of the same request within
     * {@link #IDEMPOTENCY_WINDOW} gets that response back and counts nothing; another request with
     * the key gets {@link KeyedAnswer#keyReused()}. Refusals are not recorded.
     *
     * @param keyed null for a consume without a key (exactly {@link #consume(String, Resource, UsageUnit, BigDecimal)})
     */
    public KeyedAnswer consume(String tenant, Resource resource, UsageUnit unit, BigDecimal amount, IdempotencyKey keyed) {
        String requestHash = keyed == null ? null : requestHash(tenant, resource, unit, amount);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                RetryPolicy.WRITE_RACES.sleep(attempt);
            }
            Instant now = clock.instant();
            Reading reading = read(tenant, resource, unit, amount, now);
            RateLimit rate = reading.settings().rate();
            List<QuotaStanding> refusing = reading.standings().stream().filter(s -> !s.allowed()).toList();
            if (!refusing.isEmpty()) {
                Optional<KeyedAnswer> earlier = earlier(tenant, keyed, requestHash, now);
                return earlier.orElseGet(() -> KeyedAnswer.fresh(refuse(tenant, reading, refusing, now)));
            }
            DynamoQuotaStore.BucketMove move = null;
            TokenBucket.Take take = null;
            if (rate != null) {
                take = new TokenBucket(rate, clock).take(reading.settings().bucket());
                if (!take.granted()) {
                    Optional<KeyedAnswer> earlier = earlier(tenant, keyed, requestHash, now);
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                    return KeyedAnswer.fresh(new Consumption(Consumption.Outcome.RATE_LIMITED, reading.standings(),
                            rate, 0, take.retryAfter()));
                }
                move = new DynamoQuotaStore.BucketMove(reading.settings().bucket(), take.state());
            }
            List<DynamoQuotaStore.CounterAdd> adds = new ArrayList<>();
            reading.quotas().forEach((key, quota) -> adds.add(new DynamoQuotaStore.CounterAdd(key, amount,
                    quota.hard() ? quota.limit().subtract(amount) : null)));
            Consumption granted = new Consumption(Consumption.Outcome.GRANTED, reading.standings(), rate,
                    take == null ? -1 : take.tokensLeft(), Duration.ZERO);
            IdempotentResponse record = keyed == null ? null : new IdempotentResponse(keyed.key(), requestHash,
                    200, keyed.grantedBody().apply(granted), now.plus(IDEMPOTENCY_WINDOW).truncatedTo(ChronoUnit.SECONDS));
            DynamoQuotaStore.WriteResult result = store.consume(tenant, move, adds, record, now);
            if (result == DynamoQuotaStore.WriteResult.WRITTEN) {
                reading.quotas().forEach((key, quota) -> {
                    PeriodUse seen = reading.use().get(key);
                    notifier.announce(key, quota, seen, seen.used().add(amount));
                });
                return KeyedAnswer.fresh(granted);
            }
            if (result == DynamoQuotaStore.WriteResult.ALREADY_RECORDED) {
                Optional<KeyedAnswer> earlier = earlier(tenant, keyed, requestHash, now);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            LOG.debug("consume raced another writer: tenant={} result={} attempt={}", tenant, result, attempt);
        }
        return KeyedAnswer.fresh(new Consumption(Consumption.Outcome.BUSY, List.of(), null, -1, Duration.ofSeconds(1)));
    }

    /** The answer recorded under the key, if it holds one: a replay for the same request, a reuse for another. */
    private Optional<KeyedAnswer> earlier(String tenant, IdempotencyKey keyed, String requestHash, Instant now) {
        if (keyed == null) {
            return Optional.empty();
        }
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

    private Consumption refuse(String tenant, Reading reading, List<QuotaStanding> refusing, Instant now) {
        Instant resetAt = refusing.stream().map(QuotaStanding::resetAt).max(Instant::compareTo).orElseThrow();
        List<DomainEvent> events = new ArrayList<>();
        for (QuotaStanding standing : refusing) {
            try {
                DynamoQuotaStore.Refusal counted = store.refused(
                        PeriodKey.of(tenant, standing.quota(), standing.periodStart()), now);
                if (counted.announce()) {
                    events.add(QuotaEvents.exceeded(tenant, standing, counted.refusals(), now));
                }
            } catch (RuntimeException e) {
                LOG.warn("quota refusal not counted: tenant={} error={}", tenant, e.getClass().getSimpleName());
            }
        }
        if (!events.isEmpty()) {
            try {
                publisher.publish(events);
            } catch (RuntimeException e) {
                LOG.warn("QuotaExceeded not published: tenant={} error={}", tenant, e.getClass().getSimpleName());
            }
        }
        reading.quotas().forEach((key, quota) -> {
            PeriodUse seen = reading.use().get(key);
            notifier.announce(key, quota, seen, seen.used());
        });
        return new Consumption(Consumption.Outcome.QUOTA_EXCEEDED, reading.standings(), reading.settings().rate(), -1,
                Duration.between(now, resetAt));
    }

    /**
     * Sets one quota (started from its period's usage so far, see {@link QuotaSeeder}) and, when {@code rate} is given, the tenant's rate limit ({@code Optional.empty()}
     * inside removes it).
     */
    public void setLimits(String tenant, QuotaLimit quota, Optional<Optional<RateLimit>> rate) {
        Instant now = clock.instant();
        store.putLimit(tenant, quota, now);
        if (seeder != null) {
            seeder.started(tenant, quota);
        }
        rate.ifPresent(change -> change.ifPresentOrElse(r -> store.putRate(tenant, r, now),
                () -> store.removeRate(tenant)));
    }

    /** A tenant's quotas with their use in the current periods, and its rate limit with the tokens there now. */
    public record Overview(String tenant, List<QuotaStanding> quotas, RateLimit rate, long tokensNow) {
    }

    public Overview overview(String tenant) {
        Instant now = clock.instant();
        TenantQuotas settings = store.read(tenant);
        Reading reading = reading(settings, settings.limits(), null, BigDecimal.ZERO, now);
        long tokens = settings.rate() == null ? -1
                : new TokenBucket(settings.rate(), clock).refilled(settings.bucket()).level() / TokenBucket.UNITS_PER_TOKEN;
        return new Overview(tenant, reading.standings(), settings.rate(), tokens);
    }}

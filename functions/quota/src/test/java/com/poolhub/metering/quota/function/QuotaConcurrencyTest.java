package com.poolhub.metering.quota.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 32 callers in two containers (two services, each with its own view of the items) consume against
 * one quota and one rate bucket at once, on the local DynamoDB emulator. The clock stands still, so
 * the bucket never refills and both limits are exact.
 */
class QuotaConcurrencyTest {
    private static final int THREADS = 32;
    private final QuotaFixture fx = new QuotaFixture();
    private final QuotaService otherContainer = new QuotaService(fx.store, fx.publisher, fx.clock);

    /** What one caller got. */
    private record Tally(BigDecimal granted, int grants, int refusedByQuota, int refusedByRate) {
    }

    /** Each caller consumes until the quota or the bucket refuses it (BUSY answers are retried). */
    private List<Tally> race(BigDecimal amount) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Tally>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            QuotaService service = t % 2 == 0 ? fx.service : otherContainer;
            Callable<Tally> caller = () -> {
                start.await();
                BigDecimal granted = BigDecimal.ZERO;
                int grants = 0;
                while (true) {
                    Consumption answer = service.consume("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, amount);
                    switch (answer.outcome()) {
                        case GRANTED -> {
                            granted = granted.add(amount);
                            grants++;
                        }
                        case QUOTA_EXCEEDED -> {
                            return new Tally(granted, grants, 1, 0);
                        }
                        case RATE_LIMITED -> {
                            return new Tally(granted, grants, 0, 1);
                        }
                        case BUSY, CHECKED -> { }
                    }
                }
            };
            futures.add(pool.submit(caller));
        }
        start.countDown();
        List<Tally> tallies = new ArrayList<>();
        for (Future<Tally> future : futures) {
            tallies.add(future.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return tallies;
    }

    private BigDecimal counted(QuotaLimit quota) {
        return fx.store.use(List.of(PeriodKey.of("acme", quota, fx.clock.instant()))).values().iterator().next().used();
    }

    @Test
    void consume_manyCallersOnOneQuota_grantExactlyTheLimit() throws Exception {
        QuotaLimit quota = new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY,
                new BigDecimal("10"), new BigDecimal("80"), true);
        fx.service.setLimits("acme", quota, Optional.of(Optional.of(new RateLimit(1, 100))));

        List<Tally> tallies = race(new BigDecimal("0.5"));

        BigDecimal granted = tallies.stream().map(Tally::granted).reduce(BigDecimal.ZERO, BigDecimal::add);
        int grants = tallies.stream().mapToInt(Tally::grants).sum();
        assertEquals(0, new BigDecimal("10").compareTo(granted), "granted " + granted);
        assertEquals(20, grants);
        assertEquals(THREADS, tallies.stream().mapToInt(Tally::refusedByQuota).sum());
        assertEquals(0, granted.compareTo(counted(quota)), "the counter holds exactly what was granted");
        // quota and bucket moved together: one token per grant, none for refusals
        assertEquals(100 - 20, fx.service.overview("acme").tokensNow());
    }

    @Test
    void consume_manyCallersOnOneBucket_grantExactlyTheBurst() throws Exception {
        QuotaLimit quota = new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.HOUR,
                new BigDecimal("1000000"), new BigDecimal("80"), true);
        fx.service.setLimits("acme", quota, Optional.of(Optional.of(new RateLimit(1, 20))));

        List<Tally> tallies = race(new BigDecimal("1.5"));

        int grants = tallies.stream().mapToInt(Tally::grants).sum();
        assertEquals(20, grants);
        assertEquals(THREADS, tallies.stream().mapToInt(Tally::refusedByRate).sum());
        assertEquals(0, new BigDecimal("30").compareTo(counted(quota)));
        assertEquals(0, fx.service.overview("acme").tokensNow());
    }

    @Test
    void consume_manyCallersOnAHardQuotaWithoutRateLimit_neverOverspend() throws Exception {
        QuotaLimit quota = new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.MONTH,
                new BigDecimal("7"), new BigDecimal("80"), true);
        fx.service.setLimits("acme", quota, Optional.empty());

        List<Tally> tallies = race(new BigDecimal("0.125"));

        BigDecimal granted = tallies.stream().map(Tally::granted).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("7").compareTo(granted), "granted " + granted);
        assertEquals(0, granted.compareTo(counted(quota)));
    }
}

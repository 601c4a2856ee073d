package com.poolhub.metering.hardening.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.hardening.support.LocalStack;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.EventBridgeFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.function.Consumption;
import com.poolhub.metering.quota.function.QuotaService;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * PutEvents partial failures (entries refused by EventBridge, within and beyond the publisher's
 * retries) while quota use is consumed: the use counted equals the granted amounts, and each
 * threshold's {@code QuotaThresholdCrossed} reaches a subscriber of moto's bus exactly once: never
 * lost, never twice. The entries are failed by a fault proxy in front of moto.
 */
class PutEventsFaultsTest {
    private static final BigDecimal LIMIT = new BigDecimal("100");
    private static final BigDecimal STEP = new BigDecimal("12.5");

    @Test
    void consume_whenPutEventsEntriesFail_thresholdsAnnouncedExactlyOnceAndUseExact() {
        for (int round = 0; round < 2; round++) {
            Random random = new Random(round);
            LocalStack local = LocalStack.fresh();
            String busName = BusSubscription.freshBus("quota-faults");
            try (EventBridgeFaultProxy bus = EventBridgeFaultProxy.start();
                 EventBridgeClient client = LocalAws.eventBridge(bus.endpoint());
                 BusSubscription crossings = BusSubscription.toDetailType(busName, "QuotaThresholdCrossed")) {
                QuotaService service = new QuotaService(new DynamoQuotaStore(local.dynamo(), local.table(Table.QUOTAS)),
                        new EventBridgePublisher(client, busName), local.clock());
                service.setLimits("acme", new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY, LIMIT,
                        BigDecimal.valueOf(50), true), Optional.empty());
                BigDecimal granted = BigDecimal.ZERO;
                int calls = 20;
                for (int call = 0; call < calls; call++) {
                    // early calls may lose every attempt (beyond the publisher's retries); the last ones are clean
                    bus.failNextEntries(call < calls - 4 ? random.nextInt(8) : 0);
                    Consumption result = service.consume("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, STEP);
                    if (result.outcome() == Consumption.Outcome.GRANTED) {
                        granted = granted.add(STEP);
                    }
                }
                bus.failNextEntries(0);
                BigDecimal used = service.check("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, BigDecimal.ZERO)
                        .binding().used();
                assertEquals(0, granted.compareTo(used), "round " + round + ": use counted equals use granted");
                assertTrue(used.compareTo(LIMIT) <= 0, "a hard limit is never passed");
                List<String> thresholds = new ArrayList<>();
                assertTrue(bus.failedEntries() > 0, "round " + round + ": entries were failed");
                crossings.received().forEach(e -> thresholds.add(e.detail().path("threshold").asText()));
                thresholds.sort(null);
                assertEquals(List.of("LIMIT", "SOFT"), thresholds, "round " + round + ": each threshold announced once");
            }
        }
    }
}

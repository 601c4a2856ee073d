package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.billing.MetricMapping.TenantMetric;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricMappingTest {
    private static final Instant HOUR = Instant.parse("2026-11-22T10:00:00Z");

    private static HourlyUsage line(String tenant, Resource resource, UsageUnit unit, String quantity) {
        return new HourlyUsage(tenant, resource, unit, HOUR, new BigDecimal(quantity));
    }

    @Test
    void metricOf_mapsGpuSecondsOtherComputeSecondsAndInferenceRequests_only() {
        assertEquals(BillingMetric.GPU_HOURS, MetricMapping.metricOf(Resource.GPU, UsageUnit.COMPUTE_SECONDS).orElseThrow());
        for (Resource compute : List.of(Resource.CPU, Resource.TPU, Resource.NPU, Resource.LPU, Resource.FPGA,
                Resource.WEBGPU, Resource.WASM)) {
            assertEquals(BillingMetric.COMPUTE_HOURS, MetricMapping.metricOf(compute, UsageUnit.COMPUTE_SECONDS).orElseThrow());
            assertTrue(MetricMapping.metricOf(compute, UsageUnit.FLOP).isEmpty());
        }
        assertEquals(BillingMetric.API_CALLS, MetricMapping.metricOf(Resource.INFERENCE, UsageUnit.REQUESTS).orElseThrow());
        assertTrue(MetricMapping.metricOf(Resource.INFERENCE, UsageUnit.TOKENS).isEmpty());
        assertTrue(MetricMapping.metricOf(Resource.MEMORY, UsageUnit.GB_HOURS).isEmpty());
        assertTrue(MetricMapping.metricOf(Resource.STORAGE, UsageUnit.GB).isEmpty());
        assertTrue(MetricMapping.metricOf(Resource.NETWORK, UsageUnit.GB).isEmpty());
        assertTrue(MetricMapping.metricOf(Resource.STORAGE, UsageUnit.IOPS).isEmpty());
    }

    @Test
    void billable_sumsSecondsAcrossResourcesBeforeDividingAndRoundsHalfEvenOnce() {
        Map<TenantMetric, BigDecimal> billable = MetricMapping.billable(List.of(
                line("acme", Resource.CPU, UsageUnit.COMPUTE_SECONDS, "0.0000018"),
                line("acme", Resource.TPU, UsageUnit.COMPUTE_SECONDS, "0.0000018"),
                line("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "5400"),
                line("acme", Resource.INFERENCE, UsageUnit.REQUESTS, "7"),
                line("acme", Resource.INFERENCE, UsageUnit.TOKENS, "9000"),
                line("beta", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "1")));

        // 0.0000036 s = 0.000000001 h exactly; each half alone (0.0000000005 h) would round to 0
        assertEquals(new BigDecimal("0.000000001"), billable.get(new TenantMetric("acme", BillingMetric.COMPUTE_HOURS)));
        assertEquals(new BigDecimal("1.500000000"), billable.get(new TenantMetric("acme", BillingMetric.GPU_HOURS)));
        assertEquals(new BigDecimal("7.000000000"), billable.get(new TenantMetric("acme", BillingMetric.API_CALLS)));
        assertEquals(new BigDecimal("0.000277778"), billable.get(new TenantMetric("beta", BillingMetric.GPU_HOURS)));
        assertEquals(4, billable.size(), "tokens are not billed through the coordinator");
    }

    @Test
    void idempotencyKey_isDerivedFromTenantPeriodMetricAndRevision() {
        UsageRecord usage = UsageRecord.pending("acme", HOUR, HOUR.plusSeconds(3600), BillingMetric.GPU_HOURS, 0,
                BigDecimal.ONE, HOUR);
        UsageRecord adjustment = UsageRecord.pending("acme", HOUR, HOUR.plusSeconds(3600), BillingMetric.GPU_HOURS, 2,
                BigDecimal.ONE, HOUR);
        assertEquals("acme/2026-11-22T10:00:00Z/gpu_hours", usage.idempotencyKey());
        assertEquals("acme/2026-11-22T10:00:00Z/gpu_hours/adj-2", adjustment.idempotencyKey());
        assertEquals(UsageRecord.Kind.ADJUSTMENT, adjustment.kind());
    }
}

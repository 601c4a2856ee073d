package com.poolhub.metering.billing;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which usage the coordinator bills and how it converts: GPU {@code compute_seconds} / 3600 to
 * {@code gpu_hours}; the {@code compute_seconds} of every other compute resource (CPU, TPU, NPU, LPU,
 * FPGA, WEBGPU, WASM) / 3600 to {@code compute_hours}; INFERENCE {@code requests} to
 * {@code api_calls}. Everything else (flop, inference tokens, memory, storage, network) is not billed
 * through this API; it is priced on the invoice only.
 *
 * <p>Seconds are summed exactly per tenant, hour and metric first and divided once, rounded
 * half-even to {@link #SCALE} decimals, so a period's billed quantity is a pure function of its usage.
 */
public final class MetricMapping {
    /** Decimals of a billed quantity. */
    public static final int SCALE = 9;
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private MetricMapping() {
    }

    /** The metric a resource and unit are billed as, if any. */
    public static Optional<BillingMetric> metricOf(Resource resource, UsageUnit unit) {
        if (unit == UsageUnit.COMPUTE_SECONDS && resource == Resource.GPU) {
            return Optional.of(BillingMetric.GPU_HOURS);
        }
        if (unit == UsageUnit.COMPUTE_SECONDS && resource.isCompute()) {
            return Optional.of(BillingMetric.COMPUTE_HOURS);
        }
        if (unit == UsageUnit.REQUESTS && resource == Resource.INFERENCE) {
            return Optional.of(BillingMetric.API_CALLS);
        }
        return Optional.empty();
    }

    /** A tenant's billed metric. */
    public record TenantMetric(String tenant, BillingMetric metric) implements Comparable<TenantMetric> {
        @Override
        public int compareTo(TenantMetric other) {
            int byTenant = tenant.compareTo(other.tenant);
            return byTenant != 0 ? byTenant : metric.compareTo(other.metric);
        }
    }

    /** The billable quantity per tenant and metric of one hour's usage lines (unbilled lines ignored). */
    public static Map<TenantMetric, BigDecimal> billable(List<HourlyUsage> lines) {
        Map<TenantMetric, BigDecimal> raw = new TreeMap<>();
        for (HourlyUsage line : lines) {
            metricOf(line.resource(), line.unit()).ifPresent(metric ->
                    raw.merge(new TenantMetric(line.tenant(), metric), line.quantity(), BigDecimal::add));
        }
        Map<TenantMetric, BigDecimal> billable = new TreeMap<>();
        raw.forEach((key, quantity) -> billable.put(key, convert(key.metric(), quantity)));
        return billable;
    }

    /** Converts a summed source quantity (seconds or requests) into the metric's unit. */
    public static BigDecimal convert(BillingMetric metric, BigDecimal sourceQuantity) {
        return switch (metric) {
            case GPU_HOURS, COMPUTE_HOURS -> sourceQuantity.divide(SECONDS_PER_HOUR, SCALE, RoundingMode.HALF_EVEN);
            case API_CALLS -> sourceQuantity.setScale(SCALE, RoundingMode.HALF_EVEN);
        };
    }
}

package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The pool's figures over a window: capacity availability (CONTRACT §2) and the utilisation at the
 * window's last complete bucket, with the sums they come from.
 *
 * @param gpusTotal GPUs of every known miner at the last bucket
 * @param gpusUp    GPUs of miners up in the last bucket
 * @param gpusUsed  Σ (gpus − gpusFree) over miners up in the last bucket
 */
public record PoolMetrics(Instant windowStart, Instant windowEnd, long miners, long minersUp, long gpusTotal,
                          long gpusUp, long gpusUsed, long upGpuBuckets, long knownGpuBuckets,
                          BigDecimal capacityAvailabilityPct, BigDecimal utilisationPct) {

    /** Sums miners' figures into the pool's. */
    public static final class Builder {
        private final SlaWindow window;
        private long miners;
        private long minersUp;
        private long gpusTotal;
        private long gpusUp;
        private long gpusUsed;
        private long upGpuBuckets;
        private long knownGpuBuckets;

        public Builder(SlaWindow window) {
            this.window = window;
        }

        public synchronized Builder add(MinerMetrics miner) {
            miners++;
            upGpuBuckets += miner.upGpuBuckets();
            knownGpuBuckets += miner.knownGpuBuckets();
            if (miner.gpus() != null) {
                gpusTotal += miner.gpus();
            }
            if (miner.upNow()) {
                minersUp++;
                gpusUp += miner.gpus();
                gpusUsed += miner.gpus() - miner.gpusFree();
            }
            return this;
        }

        public synchronized PoolMetrics build() {
            return new PoolMetrics(window.start(), window.end(), miners, minersUp, gpusTotal, gpusUp, gpusUsed,
                    upGpuBuckets, knownGpuBuckets, Percent.of(upGpuBuckets, knownGpuBuckets), Percent.of(gpusUsed, gpusUp));
        }
    }
}

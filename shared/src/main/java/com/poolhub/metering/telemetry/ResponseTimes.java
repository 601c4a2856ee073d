package com.poolhub.metering.telemetry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Match response times of one miner over some hours, mergeable across hours. The count and the sum
 * are exact, so the mean is exact. Percentiles are exact (nearest rank) while the values themselves
 * are still held, up to {@link #EXACT_LIMIT} per hour (the hour's counters drop them past that, see
 * {@link MinerHour}); past that they come from a log-scale
 * histogram whose estimate is within {@link #RELATIVE_ERROR} (1 %) of the true nearest-rank value.
 * Values are whole microseconds.
 */
public final class ResponseTimes {
    /** Values held exactly per hour item before only the histogram is kept. */
    public static final int EXACT_LIMIT = 512;
    /** Relative error bound of a histogram percentile. */
    public static final double RELATIVE_ERROR = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** Histogram index that holds exact zeros. */
    public static final int ZERO_INDEX = Integer.MIN_VALUE;

    private static final ResponseTimes EMPTY = new ResponseTimes(0, 0, Collections.emptyNavigableMap(), new long[0]);

    private final long count;
    private final long sumMicros;
    private final NavigableMap<Integer, Long> histogram;
    private final long[] exact;

    private ResponseTimes(long count, long sumMicros, NavigableMap<Integer, Long> histogram, long[] exact) {
        this.count = count;
        this.sumMicros = sumMicros;
        this.histogram = histogram;
        this.exact = exact;
    }

    public static ResponseTimes empty() {
        return EMPTY;
    }

    /** Rebuilds stored times; {@code exact} is null when the values are no longer held. */
    public static ResponseTimes of(long count, long sumMicros, Map<Integer, Long> histogram, long[] exact) {
        long[] sorted = exact == null ? null : exact.clone();
        if (sorted != null) {
            Arrays.sort(sorted);
        }
        return new ResponseTimes(count, sumMicros, Collections.unmodifiableNavigableMap(new TreeMap<>(histogram)), sorted);
    }

    /** These times and one more value. */
    public ResponseTimes plus(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("a response time cannot be negative");
        }
        TreeMap<Integer, Long> merged = new TreeMap<>(histogram);
        merged.merge(indexOf(micros), 1L, Long::sum);
        long[] values = null;
        if (exact != null && count + 1 <= EXACT_LIMIT) {
            values = Arrays.copyOf(exact, exact.length + 1);
            values[exact.length] = micros;
            Arrays.sort(values);
        }
        return new ResponseTimes(count + 1, Math.addExact(sumMicros, micros),
                Collections.unmodifiableNavigableMap(merged), values);
    }

    /** The union of two sets of times (e.g. two hours). */
    public ResponseTimes merge(ResponseTimes other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        TreeMap<Integer, Long> merged = new TreeMap<>(histogram);
        other.histogram.forEach((index, n) -> merged.merge(index, n, Long::sum));
        long[] values = null;
        if (exact != null && other.exact != null) {
            values = Arrays.copyOf(exact, exact.length + other.exact.length);
            System.arraycopy(other.exact, 0, values, exact.length, other.exact.length);
            Arrays.sort(values);
        }
        return new ResponseTimes(count + other.count, Math.addExact(sumMicros, other.sumMicros),
                Collections.unmodifiableNavigableMap(merged), values);
    }

    /** These times with the exact values dropped: percentiles then come from the histogram. */
    public ResponseTimes histogramOnly() {
        return exact == null || count == 0 ? this : new ResponseTimes(count, sumMicros, histogram, null);
    }

    public long count() {
        return count;
    }

    public long sumMicros() {
        return sumMicros;
    }

    public Map<Integer, Long> histogram() {
        return histogram;
    }

    /** The values, ascending, or null when only the histogram is kept. */
    public long[] exactValues() {
        return exact == null ? null : exact.clone();
    }

    public boolean isExact() {
        return exact != null;
    }

    /** The exact mean in milliseconds (3 decimals, half-even), or null without values. */
    public BigDecimal meanMs() {
        if (count == 0) {
            return null;
        }
        return BigDecimal.valueOf(sumMicros).divide(BigDecimal.valueOf(count), 0, RoundingMode.HALF_EVEN)
                .movePointLeft(3).setScale(3, RoundingMode.UNNECESSARY);
    }

    /** The nearest-rank percentile in milliseconds, or null without values. */
    public BigDecimal percentileMs(int percent) {
        if (count == 0) {
            return null;
        }
        long rank = Math.max(1, (count * percent + 99) / 100);
        long micros;
        if (exact != null) {
            micros = exact[(int) rank - 1];
        } else {
            micros = histogramValue(rank);
        }
        return BigDecimal.valueOf(micros).movePointLeft(3).setScale(3, RoundingMode.UNNECESSARY);
    }

    private long histogramValue(long rank) {
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : histogram.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return representative(bucket.getKey());
            }
        }
        throw new IllegalStateException("histogram holds fewer values than its count");
    }

    static int indexOf(long micros) {
        if (micros == 0) {
            return ZERO_INDEX;
        }
        return (int) Math.ceil(Math.log(micros) / LOG_GAMMA);
    }

    /** The value reported for a bucket: within {@link #RELATIVE_ERROR} of any value in it. */
    static long representative(int index) {
        if (index == ZERO_INDEX) {
            return 0;
        }
        return Math.round(2 * Math.pow(GAMMA, index) / (GAMMA + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseTimes other && count == other.count && sumMicros == other.sumMicros
                && histogram.equals(other.histogram) && Arrays.equals(exact, other.exact);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Long.hashCode(sumMicros);
    }
}

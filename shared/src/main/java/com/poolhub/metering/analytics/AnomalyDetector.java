package com.poolhub.metering.analytics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Finds outlier days in a daily series by two tests, reporting a day if either flags it:
 * <ul>
 *   <li>z-score: |value − mean| / (population standard deviation) ≥ {@code zThreshold} (default 3.5);</li>
 *   <li>IQR (Tukey's fences): value above Q3 + k·IQR or below Q1 − k·IQR, k = {@code iqrMultiplier}
 *       (default 3, Tukey's "far out" fence), quartiles by linear interpolation. The IQR is floored at
 *       1% of |median| so a perfectly flat series does not flag tiny wobbles.</li>
 * </ul>
 * The defaults are strict on purpose: on 30 days of ordinary noise a 3σ / 1.5·IQR rule flags some day
 * in most months, while one or several spikes still stand far beyond these fences (the IQR test is not
 * weakened by other spikes the way the standard deviation is).
 * Series shorter than {@code minDays} have no outliers. Statistics are computed in double precision:
 * they are scores, not money.
 */
public final class AnomalyDetector {
    private final double zThreshold;
    private final double iqrMultiplier;
    private final int minDays;

    public AnomalyDetector(double zThreshold, double iqrMultiplier, int minDays) {
        if (zThreshold <= 0 || iqrMultiplier <= 0 || minDays < 4) {
            throw new IllegalArgumentException("thresholds must be positive and minDays at least 4");
        }
        this.zThreshold = zThreshold;
        this.iqrMultiplier = iqrMultiplier;
        this.minDays = minDays;
    }

    public static AnomalyDetector defaults() {
        return new AnomalyDetector(3.5, 3.0, 7);
    }

    public double zThreshold() {
        return zThreshold;
    }

    public double iqrMultiplier() {
        return iqrMultiplier;
    }

    /** Summary statistics of a series. */
    public record Stats(double mean, double standardDeviation, double q1, double median, double q3) {
        public double iqr() {
            return q3 - q1;
        }
    }

    public static Stats stats(List<DailyValue> series) {
        double[] x = series.stream().mapToDouble(v -> v.value().doubleValue()).toArray();
        double mean = Arrays.stream(x).average().orElse(0);
        double variance = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElse(0);
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        return new Stats(mean, Math.sqrt(variance), quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75));
    }

    /** The outlier days, in series order. */
    public List<Anomaly> detect(List<DailyValue> series) {
        if (series.size() < minDays) {
            return List.of();
        }
        Stats stats = stats(series);
        double iqr = Math.max(stats.iqr(), Math.abs(stats.median()) * 0.01);
        List<Anomaly> anomalies = new ArrayList<>();
        for (DailyValue day : series) {
            double v = day.value().doubleValue();
            Double z = stats.standardDeviation() > 0 ? (v - stats.mean()) / stats.standardDeviation() : null;
            double iqrScore;
            if (v > stats.q3()) {
                iqrScore = iqr > 0 ? (v - stats.q3()) / iqr : Double.MAX_VALUE;
            } else if (v < stats.q1()) {
                iqrScore = iqr > 0 ? -(stats.q1() - v) / iqr : -Double.MAX_VALUE;
            } else {
                iqrScore = 0;
            }
            Set<Anomaly.Method> methods = EnumSet.noneOf(Anomaly.Method.class);
            if (z != null && Math.abs(z) >= zThreshold) {
                methods.add(Anomaly.Method.Z_SCORE);
            }
            if (Math.abs(iqrScore) > iqrMultiplier) {
                methods.add(Anomaly.Method.IQR);
            }
            if (!methods.isEmpty()) {
                anomalies.add(new Anomaly(day.day(), day.value(), v >= stats.median() ? Anomaly.Direction.HIGH : Anomaly.Direction.LOW,
                        z, iqrScore, Set.copyOf(methods)));
            }
        }
        return anomalies;
    }

    private static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        double position = p * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = (int) Math.ceil(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }

}

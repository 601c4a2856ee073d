package com.poolhub.metering.sla;

import com.poolhub.metering.telemetry.BucketGrid;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Forecasts the pool's GPU demand from capacity snapshots and recommends scaling. Snapshots are
 * averaged per UTC hour (gaps filled linearly), the model that does best in a backtest on that history
 * ({@link ModelBacktest}: a damped trend, and daily-seasonal Holt-Winters once two days exist) is fitted
 * to the hourly GPUs in use, and its forecast is read as utilisation of the GPUs up now. Every forecast
 * carries its backtest and the confidence it earns, and so does the recommendation. When the forecast
 * peak crosses {@code alertThresholdPct} it recommends {@code SCALE_UP} by the GPUs that bring the
 * peak back to the threshold; when even the upper bound stays under {@code scaleDownBelowPct} it
 * recommends {@code SCALE_DOWN} by the GPUs that keep the upper bound at the threshold; else {@code HOLD}.
 */
public final class CapacityForecaster {
    public static final String INSUFFICIENT = "INSUFFICIENT_HISTORY";

    private final BigDecimal alertThresholdPct;
    private final BigDecimal scaleDownBelowPct;

    public CapacityForecaster(BigDecimal alertThresholdPct, BigDecimal scaleDownBelowPct) {
        this.alertThresholdPct = alertThresholdPct;
        this.scaleDownBelowPct = scaleDownBelowPct;
    }

    /** Hourly means of GPUs used and up, oldest first, gaps filled by linear interpolation. */
    static double[][] hourly(List<CapacitySnapshot> snapshots) {
        TreeMap<Instant, double[]> sums = new TreeMap<>();
        for (CapacitySnapshot snapshot : snapshots) {
            double[] sum = sums.computeIfAbsent(BucketGrid.hourFloor(snapshot.at()), h -> new double[3]);
            sum[0] += snapshot.gpusUsed();
            sum[1] += snapshot.gpusUp();
            sum[2]++;
        }
        if (sums.isEmpty()) {
            return new double[2][0];
        }
        int n = (int) Duration.between(sums.firstKey(), sums.lastKey()).toHours() + 1;
        double[] used = new double[n];
        double[] up = new double[n];
        Instant first = sums.firstKey();
        Map.Entry<Instant, double[]> previous = null;
        for (Map.Entry<Instant, double[]> entry : sums.entrySet()) {
            int i = (int) Duration.between(first, entry.getKey()).toHours();
            used[i] = entry.getValue()[0] / entry.getValue()[2];
            up[i] = entry.getValue()[1] / entry.getValue()[2];
            if (previous != null) {
                int p = (int) Duration.between(first, previous.getKey()).toHours();
                for (int k = p + 1; k < i; k++) {
                    double f = (double) (k - p) / (i - p);
                    used[k] = used[p] + f * (used[i] - used[p]);
                    up[k] = up[p] + f * (up[i] - up[p]);
                }
            }
            previous = entry;
        }
        return new double[][] {used, up};
    }

    public CapacityForecast forecast(List<CapacitySnapshot> snapshots, int hours, Instant now) {
        double[][] series = hourly(snapshots);
        double[] used = series[0];
        int n = used.length;
        if (!ForecastModel.DAMPED_TREND.fits(n)) {
            return new CapacityForecast(now, INSUFFICIENT, n, n == 0 ? 0 : Math.round(series[1][n - 1]), null, null,
                    ForecastConfidence.LOW, List.of());
        }
        Instant lastHour = BucketGrid.hourFloor(snapshots.stream().map(CapacitySnapshot::at).max(Instant::compareTo).orElseThrow());
        long capacity = Math.round(series[1][n - 1]);
        ModelBacktest.Choice choice = ModelBacktest.choose(used, hours);
        HoltWinters model = choice.backtest() == null ? choice.model().fitMostDamped(used) : choice.model().fit(used);
        List<CapacityForecast.Point> points = new ArrayList<>();
        for (int h = 1; h <= hours; h++) {
            HoltWinters.Band band = model.band95(h);
            points.add(new CapacityForecast.Point(lastHour.plus(Duration.ofHours(h)), gpus(band.point()), gpus(band.lower()),
                    gpus(band.upper()), pct(band.point(), capacity), pct(band.lower(), capacity), pct(band.upper(), capacity)));
        }
        return new CapacityForecast(now, choice.model().name(), n, capacity,
                BigDecimal.valueOf(model.phi()).setScale(2, RoundingMode.HALF_EVEN), choice.backtest(),
                ForecastConfidence.of(choice.backtest()), points);
    }

    public Recommendation recommend(CapacityForecast forecast) {
        long capacity = forecast.capacityGpus();
        if (forecast.points().isEmpty()) {
            return new Recommendation(forecast.generatedAt(), RecommendationAction.HOLD, 0,
                    "not enough capacity history to forecast (" + forecast.historyHours() + " hours)", null, null,
                    capacity, forecast.method(), forecast.confidence());
        }
        String confidence = confidence(forecast);
        CapacityForecast.Point peak = forecast.points().get(0);
        BigDecimal peakUpper = BigDecimal.ZERO;
        for (CapacityForecast.Point point : forecast.points()) {
            if (point.usedGpus().compareTo(peak.usedGpus()) > 0) {
                peak = point;
            }
            peakUpper = peakUpper.max(point.usedGpusUpper());
        }
        BigDecimal threshold = alertThresholdPct.movePointLeft(2);
        BigDecimal peakUtilisation = pct(peak.usedGpus().doubleValue(), capacity);
        BigDecimal needed = peak.usedGpus().divide(threshold, 0, RoundingMode.CEILING);
        boolean overThreshold = peak.usedGpus().multiply(BigDecimal.valueOf(100))
                .compareTo(alertThresholdPct.multiply(BigDecimal.valueOf(capacity))) > 0;
        if (overThreshold) {
            long gpus = Math.max(1, needed.longValue() - capacity);
            return new Recommendation(forecast.generatedAt(), RecommendationAction.SCALE_UP, gpus,
                    "forecast demand peaks at " + peak.usedGpus().toPlainString() + " GPUs at " + peak.time()
                            + " (" + (peakUtilisation == null ? "no capacity up" : peakUtilisation.toPlainString() + " %")
                            + "), above the " + alertThresholdPct.toPlainString() + " % alert threshold of "
                            + capacity + " GPUs up; " + gpus + " more GPUs keep the peak at or under it" + confidence,
                    peakUtilisation, peak.time(), capacity, forecast.method(), forecast.confidence());
        }
        if (peakUpper.multiply(BigDecimal.valueOf(100)).compareTo(scaleDownBelowPct.multiply(BigDecimal.valueOf(capacity))) < 0) {
            long keep = peakUpper.divide(threshold, 0, RoundingMode.CEILING).longValue();
            long gpus = capacity - Math.max(1, keep);
            if (gpus > 0) {
                return new Recommendation(forecast.generatedAt(), RecommendationAction.SCALE_DOWN, gpus,
                        "even the forecast's upper bound peaks at " + peakUpper.toPlainString() + " GPUs, under "
                                + scaleDownBelowPct.toPlainString() + " % of the " + capacity + " GPUs up; "
                                + Math.max(1, keep) + " GPUs keep it at or under the " + alertThresholdPct.toPlainString()
                                + " % threshold" + confidence, peakUtilisation, peak.time(), capacity, forecast.method(),
                        forecast.confidence());
            }
        }
        return new Recommendation(forecast.generatedAt(), RecommendationAction.HOLD, 0,
                "forecast demand peaks at " + peak.usedGpus().toPlainString() + " GPUs ("
                        + (peakUtilisation == null ? "-" : peakUtilisation.toPlainString()) + " % of " + capacity
                        + " GPUs up), within the " + alertThresholdPct.toPlainString() + " % threshold" + confidence,
                peakUtilisation, peak.time(), capacity, forecast.method(), forecast.confidence());
    }

    /** The reason's closing words: how confident the forecast is, and on what evidence. */
    private static String confidence(CapacityForecast forecast) {
        ForecastBacktest backtest = forecast.backtest();
        if (backtest == null) {
            return "; confidence " + forecast.confidence() + ": " + forecast.historyHours() + " hours of history, too few to backtest";
        }
        return "; confidence " + forecast.confidence() + ": fitted without the last " + backtest.holdoutHours()
                + " hours of history, " + forecast.method() + " forecast them with a MAPE of "
                + (backtest.mapePct() == null ? "- (no demand)" : backtest.mapePct().toPlainString() + " %") + ", "
                + backtest.coveragePct().toPlainString() + " % of them inside its 95 % band";
    }

    private static BigDecimal gpus(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal pct(double used, long capacity) {
        if (capacity == 0) {
            return null;
        }
        return BigDecimal.valueOf(used * 100 / capacity).setScale(3, RoundingMode.HALF_EVEN);
    }
}

package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the forecast model for an hourly series by backtest: every {@link ForecastModel} that fits
 * the history without its last hours is fitted to it and forecasts those hours; the one with the
 * lowest MAPE (mean absolute error where no held-out hour had demand) wins. The held-out part is a
 * quarter of the history, at most the forecast's horizon and at least six hours (when the history
 * has 24); once two days plus six hours exist it is shortened, if need be, so that the seasonal models
 * keep two days to fit. Under eight hours of history there is no backtest and the damped trend is used
 * with its strongest damping (φ = 0.8: the trend adds at most four hours' slope in all).
 */
final class ModelBacktest {
    private static final int MINIMUM_HISTORY = 8;
    private static final int MINIMUM_HOLDOUT = 6;
    private static final int SEASONAL_HISTORY = 48;

    /** The chosen model and its backtest (null without one). */
    record Choice(ForecastModel model, ForecastBacktest backtest) {
    }

    private ModelBacktest() {
    }

    static Choice choose(double[] hourly, int horizon) {
        int n = hourly.length;
        if (n < MINIMUM_HISTORY) {
            return new Choice(ForecastModel.DAMPED_TREND, null);
        }
        int holdout = holdoutHours(n, horizon);
        double[] training = Arrays.copyOf(hourly, n - holdout);
        List<ForecastBacktest.Candidate> candidates = new ArrayList<>();
        for (ForecastModel model : ForecastModel.values()) {
            if (model.fits(training.length)) {
                candidates.add(evaluate(model, model.fit(training), hourly, training.length));
            }
        }
        candidates.sort(Comparator.comparing(ModelBacktest::score).thenComparing(ForecastBacktest.Candidate::maeGpus));
        ForecastBacktest.Candidate best = candidates.get(0);
        return new Choice(best.model(), new ForecastBacktest(holdout, best.mapePct(), best.coveragePct(), List.copyOf(candidates)));
    }

    static int holdoutHours(int n, int horizon) {
        int holdout = Math.max(Math.min(horizon, n / 4), Math.min(MINIMUM_HOLDOUT, n / 4));
        if (n - holdout < SEASONAL_HISTORY && n - MINIMUM_HOLDOUT >= SEASONAL_HISTORY) {
            holdout = n - SEASONAL_HISTORY;
        }
        return holdout;
    }

    private static ForecastBacktest.Candidate evaluate(ForecastModel model, HoltWinters fitted, double[] hourly, int from) {
        int hours = hourly.length - from;
        double absoluteError = 0;
        double percentageError = 0;
        int withDemand = 0;
        int inside = 0;
        for (int h = 1; h <= hours; h++) {
            double actual = hourly[from + h - 1];
            HoltWinters.Band band = fitted.band95(h);
            double error = Math.abs(band.point() - actual);
            absoluteError += error;
            if (actual > 0) {
                percentageError += error / actual;
                withDemand++;
            }
            if (band.contains(actual)) {
                inside++;
            }
        }
        BigDecimal mape = withDemand == 0 ? null : scaled(100 * percentageError / withDemand);
        return new ForecastBacktest.Candidate(model, mape, scaled(100.0 * inside / hours), scaled(absoluteError / hours));
    }

    private static BigDecimal score(ForecastBacktest.Candidate candidate) {
        return candidate.mapePct() != null ? candidate.mapePct() : candidate.maeGpus();
    }

    private static BigDecimal scaled(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN);
    }
}

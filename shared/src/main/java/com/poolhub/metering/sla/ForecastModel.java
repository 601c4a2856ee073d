package com.poolhub.metering.sla;

import java.util.Arrays;

/**
 * The exponential smoothing models a capacity forecast chooses among, by backtest on the pool's own
 * history ({@link ForecastBacktest}). Every trend but the seasonal model's undamped variant is damped,
 * so a short history's slope is not carried on for a week.
 */
public enum ForecastModel {
    /** Holt's trend method with the trend damped (φ from 0.8 to 0.98); needs two hours. */
    DAMPED_TREND(1, 0.8, 0.85, 0.9, 0.95, 0.98),
    /** Additive Holt-Winters with a daily season of 24 hourly points and a damped trend; needs two days. */
    HOLT_WINTERS_DAMPED_DAILY(24, 0.8, 0.9, 0.95, 0.98),
    /** Additive Holt-Winters with a daily season and an undamped trend; needs two days. */
    HOLT_WINTERS_ADDITIVE_DAILY(24, 1.0);

    private final int period;
    private final double[] phis;

    ForecastModel(int period, double... phis) {
        this.period = period;
        this.phis = phis;
    }

    /** Whether a series of {@code hours} points is long enough to fit this model. */
    public boolean fits(int hours) {
        return hours >= HoltWinters.minimumLength(period);
    }

    /** This model fitted to an hourly series (at least {@link #fits} long). */
    public HoltWinters fit(double[] hourly) {
        return HoltWinters.fit(hourly, period, phis);
    }

    /**
     * This model fitted with its strongest damping only: for a history too short to backtest, where a
     * damping chosen by fit alone would follow the few hours' slope furthest.
     */
    public HoltWinters fitMostDamped(double[] hourly) {
        return HoltWinters.fit(hourly, period, Arrays.stream(phis).min().orElseThrow());
    }
}

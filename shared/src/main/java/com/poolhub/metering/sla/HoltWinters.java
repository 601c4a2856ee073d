package com.poolhub.metering.sla;

/**
 * Additive Holt-Winters with a damped trend (level, trend damped by φ, one seasonal cycle of
 * {@code period} points) fitted by a grid search over the smoothing constants and the damping factors
 * given that minimises the one-step-ahead squared error. The h-step forecast is
 * level + (φ + φ² + … + φʰ)·trend + season, so with φ &lt; 1 the trend flattens out instead of running
 * on. Forecast intervals use the model's one-step error variance widened per horizon as for the
 * additive model (Hyndman et al., Forecasting with Exponential Smoothing, table 6.1, class 1):
 * var(h) = σ² (1 + Σ_{j<h} (α(1 + βφ_j) + γ·[j mod period = 0])²) with φ_j = φ + … + φʲ. With
 * {@code period = 1} and {@code γ = 0} it is Holt's (damped) trend method; φ = 1 is the undamped model.
 */
public final class HoltWinters {
    private static final double[] ALPHAS = grid(0.05, 0.95, 0.05);
    private static final double[] BETAS = {0.0, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3};
    private static final double[] GAMMAS = grid(0.05, 0.65, 0.1);
    private static final double Z95 = 1.959964;

    private final int period;
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double phi;
    private final double level;
    private final double trend;
    private final double[] season;
    private final int seasonPosition;
    private final double sigma;

    private HoltWinters(int period, double alpha, double beta, double gamma, double phi, State state) {
        this.period = period;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.phi = phi;
        this.level = state.level;
        this.trend = state.trend;
        this.season = state.season;
        this.seasonPosition = state.position;
        this.sigma = Math.sqrt(state.sse / Math.max(1, state.steps));
    }

    /**
     * Fits the model to a series of at least two full periods (at least two points for
     * {@code period = 1}), choosing the damping factor among {@code phis} (each in (0, 1]).
     */
    public static HoltWinters fit(double[] series, int period, double... phis) {
        if (series.length < minimumLength(period)) {
            throw new IllegalArgumentException("need at least two periods of history");
        }
        if (phis.length == 0) {
            throw new IllegalArgumentException("need at least one damping factor");
        }
        double[] gammas = period == 1 ? new double[] {0.0} : GAMMAS;
        HoltWinters best = null;
        double bestSse = Double.POSITIVE_INFINITY;
        for (double p : phis) {
            for (double a : ALPHAS) {
                for (double b : BETAS) {
                    for (double g : gammas) {
                        State state = run(series, period, a, b, g, p);
                        if (state.sse < bestSse) {
                            bestSse = state.sse;
                            best = new HoltWinters(period, a, b, g, p, state);
                        }
                    }
                }
            }
        }
        return best;
    }

    /** The shortest series {@link #fit} accepts for a season of {@code period} points. */
    public static int minimumLength(int period) {
        return Math.max(2, 2 * period);
    }

    private static final class State {
        double level;
        double trend;
        double[] season;
        int position;
        double sse;
        int steps;
    }

    private static State run(double[] y, int m, double a, double b, double g, double p) {
        State s = new State();
        double first = mean(y, 0, m);
        double second = mean(y, m, Math.min(y.length, 2 * m));
        s.level = first;
        s.trend = m == 1 ? y[1] - y[0] : (second - first) / m;
        s.season = new double[m];
        for (int i = 0; i < m; i++) {
            s.season[i] = m == 1 ? 0 : y[i] - first;
        }
        for (int t = m; t < y.length; t++) {
            int si = t % m;
            double predicted = s.level + p * s.trend + s.season[si];
            double error = y[t] - predicted;
            s.sse += error * error;
            s.steps++;
            double previousLevel = s.level;
            s.level = a * (y[t] - s.season[si]) + (1 - a) * (s.level + p * s.trend);
            s.trend = b * (s.level - previousLevel) + (1 - b) * p * s.trend;
            s.season[si] = g * (y[t] - s.level) + (1 - g) * s.season[si];
        }
        s.position = y.length % m;
        return s;
    }

    /** The point forecast {@code h} steps (1-based) after the last observation. */
    public double forecast(int h) {
        return level + dampedSum(h) * trend + season[(seasonPosition + h - 1) % period];
    }

    /** The standard deviation of the forecast error {@code h} steps ahead. */
    public double standardError(int h) {
        double variance = 1;
        double phiJ = 0;
        double power = 1;
        for (int j = 1; j < h; j++) {
            power *= phi;
            phiJ += power;
            double c = alpha * (1 + beta * phiJ) + (period > 1 && j % period == 0 ? gamma : 0);
            variance += c * c;
        }
        return sigma * Math.sqrt(variance);
    }

    /**
     * The forecast of a non-negative quantity {@code h} steps ahead with its 95 % interval, each
     * floored at zero.
     */
    public Band band95(int h) {
        double point = Math.max(0, forecast(h));
        double margin = Z95 * standardError(h);
        return new Band(point, Math.max(0, point - margin), point + margin);
    }

    /** A point forecast with its lower and upper bounds. */
    public record Band(double point, double lower, double upper) {

        /** Whether {@code actual} lies within the bounds. */
        public boolean contains(double actual) {
            return lower <= actual && actual <= upper;
        }
    }

    /** φ + φ² + … + φʰ ({@code h} when φ = 1). */
    private double dampedSum(int h) {
        if (phi == 1) {
            return h;
        }
        return phi * (1 - Math.pow(phi, h)) / (1 - phi);
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double gamma() {
        return gamma;
    }

    public double phi() {
        return phi;
    }

    private static double mean(double[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += y[i];
        }
        return sum / (to - from);
    }

    private static double[] grid(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = from + i * step;
        }
        return values;
    }
}

package com.poolhub.metering.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CapacityForecasterTest {
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    static final int HISTORY_DAYS = 28;
    static final int HORIZON = 168;

    /** Known pattern: level 200, trend +0.05 GPU an hour, daily swing ±40, noise σ = 3. */
    static double truth(double hours) {
        return 200 + 0.05 * hours + 40 * Math.sin(2 * Math.PI * hours / 24);
    }

    static List<CapacitySnapshot> snapshots(Random random, int days, long gpusUp, double scale) {
        List<CapacitySnapshot> snapshots = new ArrayList<>();
        for (int minute = 0; minute < days * 24 * 60; minute += 5) {
            double used = scale * (truth(minute / 60.0) + 3 * random.nextGaussian());
            snapshots.add(new CapacitySnapshot(START.plus(Duration.ofMinutes(minute)), 40, 40, gpusUp, gpusUp,
                    Math.round(used), null, null));
        }
        return snapshots;
    }

    @Test
    void forecast_ofDailySeasonalHistoryWithTrend_hasMapeUnderThreePercent() {
        Random random = new Random(11);
        CapacityForecaster forecaster = new CapacityForecaster(new BigDecimal("80"), new BigDecimal("50"));
        Instant now = START.plus(Duration.ofDays(HISTORY_DAYS));

        CapacityForecast forecast = forecaster.forecast(snapshots(random, HISTORY_DAYS, 400, 1), HORIZON, now);

        assertTrue(forecast.method().startsWith("HOLT_WINTERS"), forecast.method());
        assertEquals(HORIZON, forecast.points().size());
        double ape = 0;
        int inside = 0;
        for (CapacityForecast.Point point : forecast.points()) {
            double hours = Duration.between(START, point.time()).toMinutes() / 60.0;
            // the hourly mean of the 12 five-minute snapshots of that hour
            double actual = 0;
            for (int k = 0; k < 12; k++) {
                actual += truth(hours + k / 12.0) + 3 * random.nextGaussian();
            }
            actual /= 12;
            ape += Math.abs(point.usedGpus().doubleValue() - actual) / actual;
            if (point.usedGpusLower().doubleValue() <= actual && actual <= point.usedGpusUpper().doubleValue()) {
                inside++;
            }
        }
        double mape = 100 * ape / HORIZON;
        System.out.printf("capacity forecast: %s, %d h history, %d h horizon, MAPE %.2f %%, 95%% interval coverage %d/%d"
                        + " (backtest over %d h: MAPE %s %%, coverage %s %%, confidence %s)%n",
                forecast.method(), forecast.historyHours(), HORIZON, mape, inside, HORIZON, forecast.backtest().holdoutHours(),
                forecast.backtest().mapePct(), forecast.backtest().coveragePct(), forecast.confidence());
        assertTrue(mape < 3, "MAPE " + mape);
        assertTrue(inside >= HORIZON * 0.8, "interval coverage " + inside);
    }

    @Test
    void recommend_whenForecastPeakCrossesTheThreshold_scalesUpByTheGpusThatBringItBack() {
        CapacityForecaster forecaster = new CapacityForecaster(new BigDecimal("80"), new BigDecimal("50"));
        CapacityForecast forecast = forecaster.forecast(snapshots(new Random(5), 14, 300, 1), HORIZON,
                START.plus(Duration.ofDays(14)));
        Recommendation recommendation = forecaster.recommend(forecast);

        BigDecimal peak = forecast.points().stream().map(CapacityForecast.Point::usedGpus).max(BigDecimal::compareTo).orElseThrow();
        long needed = peak.divide(new BigDecimal("0.8"), 0, java.math.RoundingMode.CEILING).longValue();
        assertEquals(RecommendationAction.SCALE_UP, recommendation.action());
        assertEquals(needed - 300, recommendation.gpus());
        assertTrue(recommendation.reason().contains("80 %"));
    }

    @Test
    void recommend_whenEvenTheUpperBoundStaysLow_scalesDown_andInBetweenHolds() {
        CapacityForecaster forecaster = new CapacityForecaster(new BigDecimal("80"), new BigDecimal("50"));
        Instant now = START.plus(Duration.ofDays(7));
        Recommendation down = forecaster.recommend(forecaster.forecast(snapshots(new Random(1), 7, 2000, 1), 48, now));
        assertEquals(RecommendationAction.SCALE_DOWN, down.action());
        assertTrue(down.gpus() > 0 && down.gpus() < 2000);

        Recommendation hold = forecaster.recommend(forecaster.forecast(snapshots(new Random(1), 7, 450, 1), 48, now));
        assertEquals(RecommendationAction.HOLD, hold.action());
        assertEquals(0, hold.gpus());
    }

    @Test
    void forecast_withoutHistory_saysSoAndHolds() {
        CapacityForecaster forecaster = new CapacityForecaster(new BigDecimal("80"), new BigDecimal("50"));
        CapacityForecast forecast = forecaster.forecast(List.of(), 24, START);
        assertEquals(CapacityForecaster.INSUFFICIENT, forecast.method());
        assertEquals(RecommendationAction.HOLD, forecaster.recommend(forecast).action());
    }
}

package com.poolhub.metering.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecastBacktestTest {
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    final CapacityForecaster forecaster = new CapacityForecaster(new BigDecimal("80"), new BigDecimal("50"));

    /** One snapshot every five minutes for {@code hours} hours, GPUs in use from {@code demand}. */
    static List<CapacitySnapshot> history(int hours, long gpusUp, java.util.function.DoubleUnaryOperator demand) {
        List<CapacitySnapshot> snapshots = new ArrayList<>();
        for (int minute = 0; minute < hours * 60; minute += 5) {
            long used = Math.max(0, Math.round(demand.applyAsDouble(minute / 60.0)));
            snapshots.add(new CapacitySnapshot(START.plus(Duration.ofMinutes(minute)), 10, 10, gpusUp, gpusUp, used, null, null));
        }
        return snapshots;
    }

    static Instant end(int hours) {
        return START.plus(Duration.ofHours(hours));
    }

    @Test
    void holdout_isAQuarterOfTheHistory_cappedByTheHorizon_andLeavesTheSeasonalModelsTwoDays() {
        assertEquals(2, ModelBacktest.holdoutHours(8, 168));
        assertEquals(6, ModelBacktest.holdoutHours(24, 168));
        assertEquals(6, ModelBacktest.holdoutHours(24, 1), "at least six hours when the history allows");
        assertEquals(12, ModelBacktest.holdoutHours(48, 168), "two days: the seasonal models cannot be backtested yet");
        assertEquals(13, ModelBacktest.holdoutHours(53, 168));
        assertEquals(6, ModelBacktest.holdoutHours(54, 168), "two days and six hours: 48 hours left to fit a season");
        assertEquals(12, ModelBacktest.holdoutHours(60, 168));
        assertEquals(16, ModelBacktest.holdoutHours(64, 168));
        assertEquals(168, ModelBacktest.holdoutHours(28 * 24, 168));
        assertEquals(24, ModelBacktest.holdoutHours(28 * 24, 24));
    }

    @Test
    void aSteadyPool_isForecastExactly_withFullCoverage_andHighConfidence() {
        CapacityForecast forecast = forecaster.forecast(history(96, 50, t -> 20), 48, end(96));

        assertEquals(24, forecast.backtest().holdoutHours());
        assertEquals(0, forecast.backtest().mapePct().signum());
        assertEquals(0, forecast.backtest().coveragePct().compareTo(new BigDecimal("100")));
        assertEquals(ForecastConfidence.HIGH, forecast.confidence());
        assertEquals(0, forecast.points().get(47).usedGpus().compareTo(new BigDecimal("20")));
    }

    @Test
    void oneDayOfHistory_usesTheDampedTrend_whoseBandStaysBoundedADayOut() {
        // a pool declining through the day (as the simulation's first day does), with noise
        Random random = new Random(7);
        List<CapacitySnapshot> snapshots = history(24, 69, t -> 45 - 0.6 * t + 4 * random.nextGaussian());

        CapacityForecast forecast = forecaster.forecast(snapshots, 24, end(24));

        assertEquals(ForecastModel.DAMPED_TREND.name(), forecast.method());
        assertTrue(forecast.damping().compareTo(BigDecimal.ONE) < 0, "damped: " + forecast.damping());
        assertEquals(List.of(ForecastModel.DAMPED_TREND),
                forecast.backtest().candidates().stream().map(ForecastBacktest.Candidate::model).toList());
        assertEquals(6, forecast.backtest().holdoutHours());
        assertEquals(ForecastConfidence.LOW, forecast.confidence(), "six held-out hours are too few to trust");
        CapacityForecast.Point dayOut = forecast.points().get(21);
        HoltWinters.Band undamped = HoltWinters.fit(CapacityForecaster.hourly(snapshots)[0], 1, 1.0).band95(22);
        System.out.printf("one day of history: %s φ=%s, 22 h out %s [%s, %s] of 69 GPUs up (undamped linear trend:"
                        + " %.3f [%.3f, %.3f]); backtest MAPE %s %%, coverage %s %%%n",
                forecast.method(), forecast.damping(), dayOut.usedGpus(), dayOut.usedGpusLower(), dayOut.usedGpusUpper(),
                undamped.point(), undamped.lower(), undamped.upper(), forecast.backtest().mapePct(), forecast.backtest().coveragePct());
        assertTrue(dayOut.usedGpusUpper().compareTo(new BigDecimal("69")) < 0,
                "the band 22 hours out stays within the pool: " + dayOut.usedGpusUpper());
        double dampedWidth = dayOut.usedGpusUpper().subtract(dayOut.usedGpusLower()).doubleValue();
        assertTrue(dampedWidth < undamped.upper() - undamped.lower(), "narrower than the undamped trend's band");
    }

    @Test
    void aDailyCycle_choosesASeasonalModel_oncePastTwoDaysAndSixHours() {
        Random random = new Random(3);
        java.util.function.DoubleUnaryOperator cycle = t -> 40 + 25 * Math.sin(2 * Math.PI * t / 24) + 2 * random.nextGaussian();

        CapacityForecast twoDays = forecaster.forecast(history(48, 100, cycle), 24, end(48));
        assertEquals(ForecastModel.DAMPED_TREND.name(), twoDays.method(), "no seasonal model can be backtested yet");

        CapacityForecast fourDays = forecaster.forecast(history(96, 100, cycle), 24, end(96));
        assertTrue(fourDays.method().startsWith("HOLT_WINTERS"), fourDays.method());
        assertEquals(3, fourDays.backtest().candidates().size());
        ForecastBacktest.Candidate chosen = fourDays.backtest().candidates().get(0);
        assertEquals(fourDays.method(), chosen.model().name());
        assertEquals(chosen.mapePct(), fourDays.backtest().mapePct());
        assertEquals(chosen.coveragePct(), fourDays.backtest().coveragePct());
        for (ForecastBacktest.Candidate other : fourDays.backtest().candidates()) {
            assertTrue(chosen.mapePct().compareTo(other.mapePct()) <= 0, "the chosen model has the lowest MAPE");
        }
        BigDecimal trendOnly = fourDays.backtest().candidates().stream()
                .filter(c -> c.model() == ForecastModel.DAMPED_TREND).findFirst().orElseThrow().mapePct();
        assertTrue(chosen.mapePct().multiply(new BigDecimal("3")).compareTo(trendOnly) < 0,
                "the season explains the cycle: " + chosen.mapePct() + " % against " + trendOnly + " %");
    }

    @Test
    void aHistoryWithoutDemand_hasNoMape_andIsChosenByAbsoluteError() {
        CapacityForecast forecast = forecaster.forecast(history(60, 10, t -> 0), 24, end(60));

        assertNull(forecast.backtest().mapePct());
        assertEquals(0, forecast.backtest().candidates().get(0).maeGpus().signum());
        assertEquals(ForecastConfidence.MEDIUM, forecast.confidence());
    }

    @Test
    void underEightHours_thereIsNoBacktest_andTheConfidenceIsLow() {
        CapacityForecast forecast = forecaster.forecast(history(5, 10, t -> 4 + t), 24, end(5));

        assertEquals(ForecastModel.DAMPED_TREND.name(), forecast.method());
        assertNull(forecast.backtest());
        assertEquals(ForecastConfidence.LOW, forecast.confidence());
        assertEquals(0, forecast.damping().compareTo(new BigDecimal("0.80")), "the strongest damping: " + forecast.damping());
        // a slope of one GPU an hour from 8.5 (the fifth hour's mean): at most four more hours' worth, however far out
        assertTrue(forecast.points().get(23).usedGpus().compareTo(new BigDecimal("13")) < 0, forecast.points().get(23).toString());
        Recommendation recommendation = forecaster.recommend(forecast);
        assertEquals(ForecastConfidence.LOW, recommendation.confidence());
        assertTrue(recommendation.reason().contains("confidence LOW: 5 hours of history, too few to backtest"),
                recommendation.reason());
    }

    @Test
    void confidence_followsTheBacktestsThresholds_atTheirEdges() {
        assertEquals(ForecastConfidence.LOW, ForecastConfidence.of(null));
        assertEquals(ForecastConfidence.LOW, ForecastConfidence.of(backtest(11, "1", "100")));
        assertEquals(ForecastConfidence.MEDIUM, ForecastConfidence.of(backtest(12, "1", "100")));
        assertEquals(ForecastConfidence.MEDIUM, ForecastConfidence.of(backtest(23, "1", "100")));
        assertEquals(ForecastConfidence.HIGH, ForecastConfidence.of(backtest(24, "10.000", "80.000")));
        assertEquals(ForecastConfidence.MEDIUM, ForecastConfidence.of(backtest(24, "10.001", "80.000")));
        assertEquals(ForecastConfidence.MEDIUM, ForecastConfidence.of(backtest(24, "10.000", "79.999")));
        assertEquals(ForecastConfidence.MEDIUM, ForecastConfidence.of(backtest(24, "25.000", "50.000")));
        assertEquals(ForecastConfidence.LOW, ForecastConfidence.of(backtest(168, "25.001", "100")));
        assertEquals(ForecastConfidence.LOW, ForecastConfidence.of(backtest(168, "1", "49.999")));
        assertEquals(ForecastConfidence.MEDIUM, ForecastConfidence.of(backtest(168, null, "100")));
    }

    @Test
    void theRecommendation_carriesTheConfidence_andSaysWhy() {
        CapacityForecast forecast = forecaster.forecast(history(96, 50, t -> 20), 48, end(96));
        Recommendation recommendation = forecaster.recommend(forecast);

        assertEquals(ForecastConfidence.HIGH, recommendation.confidence());
        assertTrue(recommendation.reason().endsWith("confidence HIGH: fitted without the last 24 hours of history, "
                + forecast.method() + " forecast them with a MAPE of 0.000 %, 100.000 % of them inside its 95 % band"),
                recommendation.reason());
        Recommendation stored = SlaJson.recommendation(SlaJson.recommendation(recommendation));
        assertEquals(recommendation, stored);
        var before = SlaJson.recommendation(recommendation);
        before.remove("confidence");
        assertNull(SlaJson.recommendation(before).confidence(), "a recommendation stored before confidence was kept");
    }

    private static ForecastBacktest backtest(int hours, String mape, String coverage) {
        return new ForecastBacktest(hours, mape == null ? null : new BigDecimal(mape), new BigDecimal(coverage), List.of());
    }
}

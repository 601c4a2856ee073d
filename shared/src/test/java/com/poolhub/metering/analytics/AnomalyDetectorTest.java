package com.poolhub.metering.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
    private static final LocalDate START = LocalDate.parse("2026-10-01");

    /** A flat series of {@code days} around {@code level}, with uniform noise of ±{@code noise} (fraction). */
    private static List<DailyValue> flat(long seed, int days, double level, double noise) {
        Random random = new Random(seed);
        List<DailyValue> series = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            double v = level * (1 + noise * (2 * random.nextDouble() - 1));
            series.add(new DailyValue(START.plusDays(i), BigDecimal.valueOf(v).setScale(6, java.math.RoundingMode.HALF_EVEN)));
        }
        return series;
    }

    private static List<DailyValue> withSpike(List<DailyValue> series, int day, double factor) {
        List<DailyValue> copy = new ArrayList<>(series);
        DailyValue d = copy.get(day);
        copy.set(day, new DailyValue(d.day(), d.value().multiply(BigDecimal.valueOf(factor))));
        return copy;
    }

    @Test
    void detect_flatSeriesWithNoise_raisesNothing() {
        for (long seed = 1; seed <= 50; seed++) {
            assertEquals(List.of(), AnomalyDetector.defaults().detect(flat(seed, 30, 120.0, 0.10)), "seed " + seed);
        }
    }

    /**
     * Gaussian noise has real outliers now and then (a 4σ day is one), so no detector can promise
     * silence on it; the defaults keep false alarms rare: few of 200 flat months raise anything.
     */
    @Test
    void detect_flatSeriesWithGaussianNoise_rarelyRaisesAnything() {
        int noisy = 0;
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            List<DailyValue> series = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                series.add(new DailyValue(START.plusDays(i), BigDecimal.valueOf(200.0 + 10.0 * random.nextGaussian())
                        .setScale(6, java.math.RoundingMode.HALF_EVEN)));
            }
            noisy += AnomalyDetector.defaults().detect(series).isEmpty() ? 0 : 1;
        }
        assertTrue(noisy <= 10, noisy + " of 200 flat months raised an anomaly");
    }

    @Test
    void detect_injectedSpike_isFoundByBothTestsWithItsScores() {
        List<DailyValue> series = withSpike(flat(7, 30, 120.0, 0.10), 17, 4.0);

        List<Anomaly> found = AnomalyDetector.defaults().detect(series);

        assertEquals(1, found.size());
        Anomaly spike = found.get(0);
        assertEquals(START.plusDays(17), spike.day());
        assertEquals(Anomaly.Direction.HIGH, spike.direction());
        assertEquals(Set.of(Anomaly.Method.Z_SCORE, Anomaly.Method.IQR), spike.methods());
        assertTrue(spike.zScore() > 5, "z " + spike.zScore());
        assertTrue(spike.iqrScore() > 10, "iqr " + spike.iqrScore());
    }

    @Test
    void detect_severalSpikes_areAllFoundByIqrEvenWhenTheyInflateTheDeviation() {
        List<DailyValue> series = withSpike(withSpike(withSpike(flat(3, 30, 50.0, 0.05), 4, 3.0), 12, 2.5), 25, 3.5);

        List<Anomaly> found = AnomalyDetector.defaults().detect(series);

        assertEquals(List.of(START.plusDays(4), START.plusDays(12), START.plusDays(25)), found.stream().map(Anomaly::day).toList());
        found.forEach(a -> assertTrue(a.methods().contains(Anomaly.Method.IQR)));
    }

    @Test
    void detect_dayWithoutUsage_isALowOutlier() {
        List<DailyValue> series = withSpike(flat(11, 30, 80.0, 0.05), 9, 0.0);

        List<Anomaly> found = AnomalyDetector.defaults().detect(series);

        assertEquals(1, found.size());
        assertEquals(Anomaly.Direction.LOW, found.get(0).direction());
        assertTrue(found.get(0).zScore() < -3);
    }

    @Test
    void detect_seriesShorterThanTheMinimum_raisesNothing() {
        assertEquals(List.of(), AnomalyDetector.defaults().detect(withSpike(flat(5, 6, 10.0, 0.01), 3, 10.0)));
    }
}

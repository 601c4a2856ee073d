package com.poolhub.metering.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Set;

/**
 * A day whose value is an outlier in its series.
 *
 * @param zScore   (value − mean) / population standard deviation; null when the series does not vary
 * @param iqrScore how far beyond the nearer quartile, in interquartile ranges (positive above Q3,
 *                 negative below Q1, 0 between them)
 * @param methods  the tests that flagged it
 */
public record Anomaly(LocalDate day, BigDecimal value, Direction direction, Double zScore, double iqrScore,
                      Set<Method> methods) {

    /** Above or below the usual. */
    public enum Direction { HIGH, LOW }

    /** The outlier tests. */
    public enum Method { Z_SCORE, IQR }
}

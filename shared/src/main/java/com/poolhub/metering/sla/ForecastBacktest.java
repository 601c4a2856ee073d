package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.util.List;

/**
 * How the chosen forecast model did on the pool's own history: each candidate model was fitted to the
 * history without its last {@code holdoutHours} hours and its forecast compared with those hours.
 *
 * @param mapePct     the chosen model's mean absolute percentage error over the hours with demand
 *                    (null when no held-out hour had any GPU in use)
 * @param coveragePct the share of held-out hours whose actual value lay inside the 95 % band
 * @param candidates  every model tried, the chosen one first
 */
public record ForecastBacktest(int holdoutHours, BigDecimal mapePct, BigDecimal coveragePct, List<Candidate> candidates) {

    /** One model's backtest: its errors over the held-out hours. */
    public record Candidate(ForecastModel model, BigDecimal mapePct, BigDecimal coveragePct, BigDecimal maeGpus) {
    }
}

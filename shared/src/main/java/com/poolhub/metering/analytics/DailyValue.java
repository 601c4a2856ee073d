package com.poolhub.metering.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One UTC day's figure in a daily series (a tenant's cost in USD, say). */
public record DailyValue(LocalDate day, BigDecimal value) {
}

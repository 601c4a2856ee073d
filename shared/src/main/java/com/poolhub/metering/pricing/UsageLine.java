package com.poolhub.metering.pricing;

import com.poolhub.metering.usage.UsageKey;
import java.math.BigDecimal;

/** The quantity used in one usage window, ready to be priced. */
public record UsageLine(UsageKey key, BigDecimal quantity) {
}

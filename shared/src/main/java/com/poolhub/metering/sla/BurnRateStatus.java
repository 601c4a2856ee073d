package com.poolhub.metering.sla;

import java.math.BigDecimal;

/**
 * One miner's objective under one burn-rate rule at a moment: the counts of both windows, their burn
 * rates (null without events) and whether the rule fires (both at or above the rule's factor).
 */
public record BurnRateStatus(String minerId, SlaMetric metric, BurnRateRule rule, SliCount longWindow,
                             SliCount shortWindow, BigDecimal longBurnRate, BigDecimal shortBurnRate, boolean firing) {

    /** The key of the alert episode this status opens or closes. */
    public BurnRateAlert.Key key() {
        return new BurnRateAlert.Key(minerId, metric, rule);
    }
}

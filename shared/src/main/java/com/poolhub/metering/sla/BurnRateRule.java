package com.poolhub.metering.sla;

import java.time.Duration;

/**
 * The multiwindow, multi-burn-rate alerts of the SRE workbook (chapter 5, "Alerting on SLOs"): an
 * alert fires while the error budget burns at least {@code factor} times the sustainable rate over both
 * the long window and the short one (the short window makes it stop soon after the burning stops).
 */
public enum BurnRateRule {
    /** 2 % of a 30-day budget in an hour. */
    PAGE_FAST(Severity.PAGE, "14.4", Duration.ofHours(1), Duration.ofMinutes(5)),
    /** 5 % of a 30-day budget in six hours. */
    PAGE_SLOW(Severity.PAGE, "6", Duration.ofHours(6), Duration.ofMinutes(30)),
    /** 10 % of a 30-day budget in three days. */
    TICKET(Severity.TICKET, "1", Duration.ofDays(3), Duration.ofHours(6));

    /** Who an alert of the rule is for. */
    public enum Severity { PAGE, TICKET }

    private final Severity severity;
    private final java.math.BigDecimal factor;
    private final Duration longWindow;
    private final Duration shortWindow;

    BurnRateRule(Severity severity, String factor, Duration longWindow, Duration shortWindow) {
        this.severity = severity;
        this.factor = new java.math.BigDecimal(factor);
        this.longWindow = longWindow;
        this.shortWindow = shortWindow;
    }

    public Severity severity() {
        return severity;
    }

    public java.math.BigDecimal factor() {
        return factor;
    }

    public Duration longWindow() {
        return longWindow;
    }

    public Duration shortWindow() {
        return shortWindow;
    }

    /** The longest window any rule looks at. */
    public static Duration longest() {
        return TICKET.longWindow;
    }
}

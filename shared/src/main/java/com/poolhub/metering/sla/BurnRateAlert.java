package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One alert episode of a miner's objective under a burn-rate rule: opened ({@code FIRING}) by the
 * first collection that finds the rule firing, closed ({@code RESOLVED}) by the first that finds it
 * no longer firing. Each state is announced once ({@code SlaBurnRateAlert}); {@code pending} while the
 * announcement of the current state has not been accepted by the bus.
 *
 * @param episodeId     the miner, metric, rule and opening time: the same in both announcements
 * @param longBurnRate  the long window's burn rate when the episode opened
 * @param shortBurnRate the short window's burn rate when the episode opened
 */
public record BurnRateAlert(String episodeId, String minerId, SlaMetric metric, BurnRateRule rule, State state,
                            Instant openedAt, Instant resolvedAt, BigDecimal targetPct, BigDecimal longBurnRate,
                            BigDecimal shortBurnRate, boolean pending) {

    /** Whether the episode is still burning. */
    public enum State { FIRING, RESOLVED }

    /** What identifies an episode's slot: one open episode per miner, metric and rule at a time. */
    public record Key(String minerId, SlaMetric metric, BurnRateRule rule) {
    }

    /** A new episode, to be announced. */
    public static BurnRateAlert open(BurnRateStatus status, BigDecimal targetPct, Instant at) {
        String id = status.minerId() + "#" + status.metric() + "#" + status.rule() + "#" + at;
        return new BurnRateAlert(id, status.minerId(), status.metric(), status.rule(), State.FIRING, at, null, targetPct,
                status.longBurnRate(), status.shortBurnRate(), true);
    }

    /** This episode closed at {@code at}, to be announced. */
    public BurnRateAlert resolved(Instant at) {
        return new BurnRateAlert(episodeId, minerId, metric, rule, State.RESOLVED, openedAt, at, targetPct, longBurnRate,
                shortBurnRate, true);
    }

    public BurnRateAlert announced() {
        return new BurnRateAlert(episodeId, minerId, metric, rule, state, openedAt, resolvedAt, targetPct, longBurnRate,
                shortBurnRate, false);
    }

    public Key key() {
        return new Key(minerId, metric, rule);
    }
}

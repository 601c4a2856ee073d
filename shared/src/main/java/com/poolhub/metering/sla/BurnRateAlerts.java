package com.poolhub.metering.sla;

import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns burn-rate statuses into alert episodes and announces each state once: a rule firing with no
 * episode in its slot opens one; a firing episode whose rule no longer fires is resolved; every state
 * not yet accepted by the bus (this run's, or an earlier run's whose publish failed) is published as
 * {@code SlaBurnRateAlert} and then marked announced. A slot whose resolution is still unannounced
 * opens no new episode until it is. If the process dies between a publish and its mark, the next
 * collection sends that state again with the same {@code episodeId}.
 */
public final class BurnRateAlerts {
    public static final String EVENT = "SlaBurnRateAlert";

    private final BurnAlertStore store;
    private final EventPublisher publisher;

    public BurnRateAlerts(BurnAlertStore store, EventPublisher publisher) {
        this.store = store;
        this.publisher = publisher;
    }

    /** Applies a collection's statuses at {@code at}; answers {published, unpublished} announcements. */
    public long[] apply(List<BurnRateStatus> statuses, SloSettings slo, Instant at) {
        List<BurnRateAlert> before = store.stored();
        long[] counts = announce(before.stream().filter(BurnRateAlert::pending).toList());
        Map<BurnRateAlert.Key, BurnRateAlert> stored = new LinkedHashMap<>();
        for (BurnRateAlert alert : before) {
            stored.put(alert.key(), alert);
        }
        List<BurnRateAlert> changed = new ArrayList<>();
        for (BurnRateStatus status : statuses) {
            BurnRateAlert existing = stored.get(status.key());
            if (status.firing() && existing == null) {
                BurnRateAlert opened = BurnRateAlert.open(status, slo.targetPct(status.metric()), at);
                if (store.open(opened)) {
                    changed.add(opened);
                }
            } else if (!status.firing() && existing != null && existing.state() == BurnRateAlert.State.FIRING) {
                BurnRateAlert resolved = existing.resolved(at);
                if (store.resolve(resolved)) {
                    changed.add(resolved);
                }
            }
        }
        long[] now = announce(changed);
        return new long[] {counts[0] + now[0], counts[1] + now[1]};
    }

    /** A miner's stored episodes: firing, or resolved with the resolution not yet announced. */
    public List<BurnRateAlert> of(String minerId) {
        return store.storedFor(minerId);
    }

    private long[] announce(List<BurnRateAlert> alerts) {
        return Announcements.publish(publisher, alerts, alert -> new DomainEvent(EVENT, SlaJson.burnRateAlert(alert),
                alert.state() == BurnRateAlert.State.FIRING ? alert.openedAt() : alert.resolvedAt()), store::announced);
    }
}

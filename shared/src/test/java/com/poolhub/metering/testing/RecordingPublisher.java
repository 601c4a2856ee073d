package com.poolhub.metering.testing;

import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link EventPublisher} that records what it published and can fail on demand. */
public final class RecordingPublisher implements EventPublisher {
    private final List<DomainEvent> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger callsToFail = new AtomicInteger();

    /** The next {@code n} publish calls fail with a {@link PublishException}. */
    public void failNextCalls(int n) {
        callsToFail.set(n);
    }

    @Override
    public void publish(List<DomainEvent> events) {
        if (callsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new PublishException("injected failure", events);
        }
        published.addAll(events);
    }

    public List<DomainEvent> published() {
        return new ArrayList<>(published);
    }

    public List<DomainEvent> published(String detailType) {
        return published.stream().filter(e -> e.detailType().equals(detailType)).toList();
    }

    public void clear() {
        published.clear();
    }
}

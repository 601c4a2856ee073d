package com.poolhub.metering.sla;

import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** Publishes kept records as events in one call and marks each record whose event the bus accepted. */
final class Announcements {
    private Announcements() {
    }

    /** Answers {published, unpublished}. */
    static <T> long[] publish(EventPublisher publisher, List<T> records, Function<T, DomainEvent> toEvent,
                              Consumer<T> accepted) {
        if (records.isEmpty()) {
            return new long[2];
        }
        Map<DomainEvent, T> byEvent = new IdentityHashMap<>();
        List<DomainEvent> events = new ArrayList<>();
        for (T record : records) {
            DomainEvent event = toEvent.apply(record);
            byEvent.put(event, record);
            events.add(event);
        }
        Set<DomainEvent> unpublished = Collections.newSetFromMap(new IdentityHashMap<>());
        try {
            publisher.publish(events);
        } catch (PublishException e) {
            unpublished.addAll(e.unpublished());
        }
        long done = 0;
        for (DomainEvent event : events) {
            if (!unpublished.contains(event)) {
                accepted.accept(byEvent.get(event));
                done++;
            }
        }
        return new long[] {done, unpublished.size()};
    }
}

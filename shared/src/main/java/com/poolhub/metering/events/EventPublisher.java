package com.poolhub.metering.events;

import java.util.List;

/** Publishes domain events. */
public interface EventPublisher {
    /**
     * Publishes the events, in batches as the service allows, retrying entries that failed.
     *
     * @throws PublishException naming the events still unpublished after bounded retries
     */
    void publish(List<DomainEvent> events);
}

package com.poolhub.metering.ingest;

import com.poolhub.metering.event.CloudEvent;

/**
 * Turns an event whose envelope is valid into a typed domain event for one stream.
 *
 * @param <E> the domain event
 */
public interface EventDecoder<E> {
    /**
     * Validates the event's type and data.
     *
     * @throws com.poolhub.metering.event.InvalidEventException with a precise reason when a rule is broken
     */
    E decode(CloudEvent event);
}

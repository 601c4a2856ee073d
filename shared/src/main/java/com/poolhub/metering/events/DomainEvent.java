package com.poolhub.metering.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Something other systems react to, published on EventBridge with source {@code poolhub}
 * (CONTRACT §4). The detail carries every id and figure a subscriber needs without calling back.
 *
 * @param detailType e.g. {@code SlaViolationDetected}
 */
public record DomainEvent(String detailType, ObjectNode detail, Instant time) {
}

package com.poolhub.metering.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A CloudEvents 1.0 event in structured mode whose envelope passed validation.
 *
 * @param id      producer's id; with {@code source} it identifies the event
 * @param source  producer, e.g. {@code //nodes/gpu-node-17}
 * @param type    event type, e.g. {@code compute.usage.v1}
 * @param subject tenant (usage) or miner id (telemetry)
 * @param time    the event's own time, which decides its window
 * @param data    the type-specific payload (an object)
 */
public record CloudEvent(String id, String source, String type, String subject, Instant time, JsonNode data) {

    /** The 64-bit fingerprint of {@code (source, id)} used for deduplication. */
    public long fingerprint() {
        return Fingerprint.of(source, id);
    }
}

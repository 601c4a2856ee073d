package com.poolhub.metering.aws.quota;

import java.time.Instant;

/**
 * The response recorded for a consume that carried an {@code Idempotency-Key}: what a repeat of the
 * same request with the same key gets back until {@code expiresAt}.
 *
 * @param key         the client's key (unique per tenant)
 * @param requestHash identifies the request the key was first used with
 * @param status      the HTTP status answered
 * @param body        the JSON body answered
 * @param expiresAt   when the record stops counting (whole seconds; also the item's ttl)
 */
public record IdempotentResponse(String key, String requestHash, int status, String body, Instant expiresAt) {

    /** Whether the record still holds at {@code now}. */
    public boolean liveAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}

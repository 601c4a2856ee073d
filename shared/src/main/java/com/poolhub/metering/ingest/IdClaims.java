package com.poolhub.metering.ingest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stricter deduplication a stream may opt into: a {@code (source, id)} counted once within a
 * window is never counted again, whatever its time or subject. Each event claims its id before it is
 * counted; a claim held by an event with other content is a conflict, kept as a reject naming the
 * first, so a producer reusing ids shows instead of being silently dropped or double counted. Claims
 * by the same content (a resend, a redelivery) succeed, so retries are harmless.
 */
public interface IdClaims {
    /**
     * One event's claim.
     *
     * @param fingerprint the event's {@code (source, id)} fingerprint
     * @param content     a digest of what the event says (type, subject, time, data)
     * @param description how a conflict names this event, if it holds the claim
     */
    record Claim(long fingerprint, long content, String description) {
    }

    /**
     * What the claims came to, by position in the list.
     *
     * @param conflicts claims held by another event within the window, with that event's description
     * @param failed    claims that could not be made for a passing cause (retry them)
     */
    record Result(Map<Integer, String> conflicts, Set<Integer> failed) {
    }

    Result claim(List<Claim> claims);
}

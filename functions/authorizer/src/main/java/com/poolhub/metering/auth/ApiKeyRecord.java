package com.poolhub.metering.auth;

import com.poolhub.metering.api.Caller;
import java.time.Instant;

/**
 * What the store keeps about a key: its id, the SHA-256 of the key, whom it identifies, when it was
 * issued and, once revoked, when.
 */
public record ApiKeyRecord(String id, String hash, Caller.Role role, String principal, Instant createdAt,
                           Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    public Caller caller() {
        return new Caller(role, principal);
    }
}

package com.poolhub.metering.auth;

import java.time.Instant;
import java.util.Optional;

/** Where key records live. */
public interface ApiKeyStore {

    /** Saves a new record; fails when a record with the same id exists (never overwrites a key). */
    void create(ApiKeyRecord record);

    /** The record with this id, revoked or not. */
    Optional<ApiKeyRecord> find(String id);

    /** Marks the key revoked at the given time; returns false when there is no such key. */
    boolean revoke(String id, Instant at);
}

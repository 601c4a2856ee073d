package com.poolhub.metering.auth;

import com.poolhub.metering.api.Caller;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Issues, revokes and checks API keys. Issuing returns the key once; only its hash is stored.
 * Checking a presented key finds its record by id and compares hashes; an unknown, malformed or
 * revoked key identifies nobody.
 */
public final class ApiKeys {
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final ApiKeyStore store;
    private final Clock clock;

    public ApiKeys(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The deployed keys: the table named by {@code API_KEYS_TABLE}, the system clock. */
    public static ApiKeys fromEnvironment() {
        return new ApiKeys(new DynamoApiKeyStore(AwsClients.dynamoDb(), Table.API_KEYS.name(Env.system())), Clock.systemUTC());
    }

    /** A new key for a tenant, a miner or an admin. The returned value is the only copy of the key. */
    public ApiKey issue(Caller.Role role, String principal) {
        return issue(role, principal, record -> { });
    }

    /**
     * A new key, as {@link #issue(Caller.Role, String)}; {@code beforeStoring} sees its record (never
     * the key) first and may refuse it by throwing, so nothing is stored.
     */
    public ApiKey issue(Caller.Role role, String principal, Consumer<ApiKeyRecord> beforeStoring) {
        if (role == null) {
            throw new IllegalArgumentException("role is required: ADMIN, TENANT or MINER");
        }
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            throw new IllegalArgumentException("principal must match [A-Za-z0-9._:-]{1,64}");
        }
        ApiKey key = ApiKey.generate();
        ApiKeyRecord record = new ApiKeyRecord(key.id(), key.hash(), role, principal, clock.instant(), null);
        beforeStoring.accept(record);
        store.create(record);
        return key;
    }

    public boolean revoke(String id) {
        return store.revoke(id, clock.instant());
    }

    /**
     * Revokes a live key; {@code beforeRevoking} sees its record first and may refuse by throwing.
     * Returns false, calling nothing, when there is no such key or it is revoked already.
     */
    public boolean revoke(String id, Consumer<ApiKeyRecord> beforeRevoking) {
        Optional<ApiKeyRecord> record = store.find(id).filter(found -> !found.revoked());
        if (record.isEmpty()) {
            return false;
        }
        beforeRevoking.accept(record.get());
        return store.revoke(id, clock.instant());
    }

    /** Who presents this {@code Authorization} header value, if it carries a live key. */
    public Optional<Caller> authenticate(String authorization) {
        return ApiKey.fromBearer(authorization).flatMap(key -> store.find(key.id())
                .filter(record -> !record.revoked() && key.matches(record.hash()))
                .map(ApiKeyRecord::caller));
    }
}

package com.poolhub.metering.ingest.producers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.signing.KeyStoreUnavailableException;
import com.poolhub.metering.signing.ProducerKeyStore;
import com.poolhub.metering.signing.ProducerKeys;
import com.poolhub.metering.signing.SigningKey;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The admin routes of producer signing keys (docs/signing.md): {@code GET /producers/{producerId}/keys}
 * lists the active keys and revoked ids (never a secret), {@code POST} issues a key and answers its
 * secret once (a second one while one is active is the rotation), {@code DELETE .../keys/{keyId}}
 * revokes one. Each change is audited before it is made.
 */
public final class ProducerKeysApi {
    private final ProducerKeyStore store;
    private final AuditLog audit;
    private final Clock clock;

    public ProducerKeysApi(ProducerKeyStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    public ApiRouter router() {
        return new ApiRouter()
                .get("/producers/{producerId}/keys", this::list)
                .post("/producers/{producerId}/keys", this::issue)
                .add("DELETE", "/producers/{producerId}/keys/{keyId}", this::revoke);
    }

    private ApiResponse list(ApiRequest request) {
        request.caller().requireAdmin();
        return ApiResponse.ok(view(load(producerId(request))));
    }

    private ApiResponse issue(ApiRequest request) {
        request.caller().requireAdmin();
        ProducerKeys before = load(producerId(request));
        if (!before.canIssue()) {
            throw ApiException.conflict("producer " + before.producerId() + " already has " + ProducerKeys.MAX_ACTIVE
                    + " active keys; revoke one first");
        }
        ProducerKeys after = before.issue(clock.instant());
        SigningKey key = after.newest();
        ObjectNode issued = Json.object().put("keyId", key.keyId());
        issued.set("activeKeys", activeIds(after));
        audit.append(request.auditActor(), new AuditChange(AuditTypes.PRODUCER_KEY_ISSUED, before.producerId(),
                Json.object().set("activeKeys", activeIds(before)), issued));
        save(after);
        ObjectNode out = view(after);
        out.put("keyId", key.keyId());
        out.put("secret", key.encodedSecret());
        out.put("issuedAt", key.issuedAt().toString());
        return ApiResponse.created(out);
    }

    private ApiResponse revoke(ApiRequest request) {
        request.caller().requireAdmin();
        String producerId = producerId(request);
        String keyId = request.path("keyId");
        if (!producerId.equals(SigningKey.producerOf(keyId))) {
            throw ApiException.badRequest("keyId must be a key id of producer " + producerId + " (<producerId>.<16 hex digits>)");
        }
        ProducerKeys before = load(producerId);
        if (before.key(keyId).isEmpty()) {
            throw ApiException.notFound("producer " + producerId + " has no active key " + keyId);
        }
        ProducerKeys after = before.revoke(keyId);
        ObjectNode revoked = Json.object().put("keyId", keyId);
        revoked.set("activeKeys", activeIds(after));
        audit.append(request.auditActor(), new AuditChange(AuditTypes.PRODUCER_KEY_REVOKED, producerId,
                Json.object().set("activeKeys", activeIds(before)), revoked));
        save(after);
        return ApiResponse.ok(view(after));
    }

    private static String producerId(ApiRequest request) {
        String producerId = request.path("producerId");
        if (!SigningKey.PRODUCER_ID.matcher(producerId).matches()) {
            throw ApiException.badRequest("producerId must match " + SigningKey.PRODUCER_ID.pattern());
        }
        return producerId;
    }

    private ProducerKeys load(String producerId) {
        return available(() -> store.load(producerId));
    }

    private void save(ProducerKeys keys) {
        available(() -> {
            store.save(keys);
            return keys;
        });
    }

    private static <T> T available(Supplier<T> call) {
        try {
            return call.get();
        } catch (KeyStoreUnavailableException e) {
            throw new ApiException(503, "KEY_STORE_UNAVAILABLE", "the key store cannot be reached now; try again",
                    java.util.Map.of("Retry-After", "5"));
        }
    }

    private static ArrayNode activeIds(ProducerKeys keys) {
        ArrayNode ids = Json.mapper().createArrayNode();
        keys.active().forEach(k -> ids.add(k.keyId()));
        return ids;
    }

    /** The keys as answered: ids and issue times, never a secret. */
    private static ObjectNode view(ProducerKeys keys) {
        ObjectNode out = Json.object();
        out.put("producerId", keys.producerId());
        ArrayNode active = out.putArray("keys");
        keys.active().forEach(k -> active.addObject().put("keyId", k.keyId()).put("issuedAt", k.issuedAt().toString()));
        ArrayNode revoked = out.putArray("revoked");
        keys.revoked().stream().sorted().forEach(revoked::add);
        return out;
    }
}

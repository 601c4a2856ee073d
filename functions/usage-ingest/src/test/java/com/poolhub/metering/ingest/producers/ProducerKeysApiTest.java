package com.poolhub.metering.ingest.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.aws.signing.SecretsManagerSigningKeys;
import com.poolhub.metering.ingest.function.ProducerKeysApiFunction;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.logging.LogCapture;
import com.poolhub.metering.signing.EventSignature;
import com.poolhub.metering.signing.SigningKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The producer key routes on moto's Secrets Manager, each answer checked against openapi.yaml. */
class ProducerKeysApiTest {
    private static final String EVENTS = "../../events/";
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private final SecretsManagerSigningKeys store = new SecretsManagerSigningKeys(LocalAws.secretsManager(),
            "poolhub/test-" + UUID.randomUUID() + "/producer-keys/");
    private final List<AuditChange> audited = new ArrayList<>();
    private final AuditLog audit = (actor, change) -> {
        audited.add(change);
        return null;
    };
    private RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api =
            ConformingApi.of(new ProducerKeysApiFunction(new ProducerKeysApi(store, audit, clock)));

    private static APIGatewayProxyRequestEvent request(String file, String producer, String keyId, String role) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + file);
        Map<String, String> path = new HashMap<>(Map.of("producerId", producer));
        String route = "/producers/" + producer + "/keys";
        if (keyId != null) {
            path.put("keyId", keyId);
            route += "/" + keyId;
        }
        event.setPath(route);
        event.setPathParameters(path);
        event.getRequestContext().setAuthorizer(new HashMap<>(Map.of("role", role, "principal", "ops")));
        return event;
    }

    private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent request) {
        return api.handleRequest(request, null);
    }

    private JsonNode issue(String producer) throws Exception {
        APIGatewayProxyResponseEvent response = call(request("producer-keys-api-post-key.json", producer, null, "ADMIN"));
        assertEquals(201, response.getStatusCode(), response.getBody());
        return Json.parse(response.getBody());
    }

    @Test
    void aKeyIsIssuedOnceWithItsSecretAndSignsEventsIngestAccepts() throws Exception {
        JsonNode issued = issue("node-fleet-a");
        String keyId = issued.get("keyId").textValue();
        String secret = issued.get("secret").textValue();

        assertEquals("node-fleet-a", SigningKey.producerOf(keyId));
        SigningKey stored = store.load("node-fleet-a").key(keyId).orElseThrow();
        assertEquals(secret, stored.encodedSecret());
        var event = Json.object().put("id", "e1").put("source", "s").put("type", "t").put("subject", "x").put("time", "2026-03-01T12:00:00Z");
        assertTrue(EventSignature.verify(event, EventSignature.sign(event, SigningKey.decodeSecret(secret)),
                stored.secret()));

        APIGatewayProxyResponseEvent listed = call(request("producer-keys-api-get-keys.json", "node-fleet-a", null, "ADMIN"));
        assertEquals(200, listed.getStatusCode());
        assertFalse(listed.getBody().contains(secret), "a list never shows a secret");
        assertEquals(keyId, Json.parse(listed.getBody()).get("keys").get(0).get("keyId").textValue());

        assertEquals(1, audited.size());
        assertEquals(AuditTypes.PRODUCER_KEY_ISSUED, audited.get(0).type());
        assertEquals("node-fleet-a", audited.get(0).subject());
        assertFalse(audited.get(0).toString().contains(secret), "the audit record never holds the secret");
    }

    @Test
    void rotationKeepsTwoActiveKeysAndTheOldestCanBeRevoked() throws Exception {
        String first = issue("fleet").get("keyId").textValue();
        JsonNode second = issue("fleet");
        assertEquals(2, second.get("keys").size());

        APIGatewayProxyResponseEvent third = call(request("producer-keys-api-post-key.json", "fleet", null, "ADMIN"));
        assertEquals(409, third.getStatusCode());

        APIGatewayProxyResponseEvent revoked = call(request("producer-keys-api-delete-key.json", "fleet", first, "ADMIN"));
        assertEquals(200, revoked.getStatusCode(), revoked.getBody());
        JsonNode after = Json.parse(revoked.getBody());
        assertEquals(1, after.get("keys").size());
        assertEquals(first, after.get("revoked").get(0).textValue());
        assertTrue(store.load("fleet").revoked().contains(first));
        assertEquals(AuditTypes.PRODUCER_KEY_REVOKED, audited.get(2).type());

        assertEquals(404, call(request("producer-keys-api-delete-key.json", "fleet", first, "ADMIN")).getStatusCode());
        assertEquals(201, call(request("producer-keys-api-post-key.json", "fleet", null, "ADMIN")).getStatusCode());
    }

    @Test
    void onlyAdminsManageKeys() {
        for (String role : List.of("TENANT", "MINER")) {
            assertEquals(403, call(request("producer-keys-api-post-key.json", "fleet", null, role)).getStatusCode());
            assertEquals(403, call(request("producer-keys-api-get-keys.json", "fleet", null, role)).getStatusCode());
            assertEquals(403, call(request("producer-keys-api-delete-key.json", "fleet", "fleet.0123456789abcdef", role))
                    .getStatusCode());
        }
        assertTrue(audited.isEmpty());
    }

    @Test
    void badProducerAndKeyIdsAre400() {
        assertEquals(400, call(request("producer-keys-api-post-key.json", "Fleet_A", null, "ADMIN")).getStatusCode());
        assertEquals(400, call(request("producer-keys-api-get-keys.json", "x".repeat(49), null, "ADMIN")).getStatusCode());
        assertEquals(400, call(request("producer-keys-api-delete-key.json", "fleet", "other.0123456789abcdef", "ADMIN"))
                .getStatusCode());
        assertEquals(400, call(request("producer-keys-api-delete-key.json", "fleet", "fleet.xyz", "ADMIN")).getStatusCode());
    }

    @Test
    void aKeyIsNotIssuedWhenItsAuditRecordCannotBeWritten() {
        api = ConformingApi.of(new ProducerKeysApiFunction(new ProducerKeysApi(store, (AuditActor actor, AuditChange change) -> {
            throw new AuditUnavailableException("audit table unavailable", null);
        }, clock)));
        assertEquals(503, call(request("producer-keys-api-post-key.json", "fleet", null, "ADMIN")).getStatusCode());
        assertTrue(store.load("fleet").active().isEmpty());
    }

    @Test
    void theSecretIsNeverLogged() throws Exception {
        String secret;
        try (LogCapture logs = LogCapture.start()) {
            secret = issue("logged-fleet").get("secret").textValue();
            call(request("producer-keys-api-get-keys.json", "logged-fleet", null, "ADMIN"));
            assertFalse(String.join("\n", logs.lines()).contains(secret));
        }
    }
}

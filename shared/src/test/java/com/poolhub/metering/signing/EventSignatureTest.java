package com.poolhub.metering.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventSignatureTest {
    private static String docBlock(String name) throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "signing.md"));
        Matcher block = Pattern.compile("```" + name + "\\n(.*?)\\n```", Pattern.DOTALL).matcher(doc);
        assertTrue(block.find(), "docs/signing.md has a " + name + " block");
        return block.group(1);
    }

    @Test
    void theWorkedExampleOfTheDocsHolds() throws Exception {
        JsonNode event = Json.parse(docBlock("event"));
        byte[] secret = SigningKey.decodeSecret(docBlock("secret"));

        assertEquals("signing-example-secret-32-bytes!", new String(secret, StandardCharsets.US_ASCII));
        assertEquals(docBlock("canonical"), EventSignature.canonical(event));
        assertEquals(docBlock("sig"), EventSignature.sign(event, secret));
        assertTrue(EventSignature.verify(event, docBlock("sig"), secret));
    }

    @Test
    void theCanonicalFormIgnoresFieldOrderAndWhitespaceButNotValues() throws Exception {
        JsonNode a = Json.parse("{\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"x\",\"time\":\"2026-03-01T12:00:00Z\","
                + "\"data\":{\"b\":[1,2],\"a\":\"1.50\"}}");
        JsonNode b = Json.parse("{ \"data\" : { \"a\" : \"1.50\", \"b\" : [ 1, 2 ] }, \"time\":\"2026-03-01T12:00:00Z\","
                + " \"subject\":\"x\", \"type\":\"t\", \"source\":\"s\", \"id\":\"1\", \"specversion\":\"1.0\" }");
        JsonNode other = Json.parse(a.toString().replace("1.50", "1.5"));

        assertEquals(EventSignature.canonical(a), EventSignature.canonical(b));
        assertFalse(EventSignature.canonical(a).equals(EventSignature.canonical(other)));
    }

    @Test
    void everySignedMemberIsCoveredAndTheSignatureMustMatchExactly() throws Exception {
        SigningKey key = SigningKey.issue("fleet", Instant.parse("2026-03-01T00:00:00Z"));
        ObjectNode signed = EventSignature.signed((ObjectNode) Json.parse(docBlock("event")), key);
        String sig = signed.get(EventSignature.SIG).textValue();
        assertTrue(EventSignature.verify(signed, sig, key.secret()));
        for (String member : new String[] {"id", "source", "type", "subject", "time"}) {
            ObjectNode changed = signed.deepCopy();
            changed.put(member, changed.get(member).textValue() + "x");
            assertFalse(EventSignature.verify(changed, sig, key.secret()), member + " is signed");
        }
        ObjectNode data = signed.deepCopy();
        ((ObjectNode) data.get("data")).put("quantity", "99");
        assertFalse(EventSignature.verify(data, sig, key.secret()), "data is signed");
        assertFalse(EventSignature.verify(signed, sig.substring(1), key.secret()));
        assertFalse(EventSignature.verify(signed, "not base64!", key.secret()));
        assertFalse(EventSignature.verify(signed, sig, SigningKey.issue("fleet", Instant.EPOCH).secret()));
    }

    @Test
    void aKeyNeverShowsItsSecret() {
        SigningKey key = SigningKey.issue("fleet", Instant.EPOCH);
        assertFalse(key.toString().contains(key.encodedSecret()));
        assertEquals("fleet", SigningKey.producerOf(key.keyId()));
        assertEquals(null, SigningKey.producerOf("Fleet.0123"));
    }
}

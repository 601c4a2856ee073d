package com.poolhub.metering.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.audit.AuditCanonical;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a CloudEvent (docs/signing.md): HMAC-SHA256 with the producer's key over the
 * canonical text of the event's {@code data}, {@code id}, {@code source}, {@code subject},
 * {@code time} and {@code type} (a JSON object with keys in ascending order and no whitespace, see
 * {@link AuditCanonical#json}), carried in the extension attributes {@code sigkeyid} (the key's id)
 * and {@code sig} (the MAC in unpadded base64url).
 */
public final class EventSignature {
    /** The extension attribute naming the signing key. */
    public static final String KEY_ID = "sigkeyid";
    /** The extension attribute holding the signature. */
    public static final String SIG = "sig";
    private static final String[] SIGNED = {"data", "id", "source", "subject", "time", "type"};
    private static final String ALGORITHM = "HmacSHA256";

    private EventSignature() {
    }

    /** The canonical text of an event: the signed members (absent ones as null), sorted, without whitespace. */
    public static String canonical(JsonNode event) {
        ObjectNode signed = Json.object();
        for (String member : SIGNED) {
            JsonNode value = event.get(member);
            signed.set(member, value == null ? signed.nullNode() : value);
        }
        return AuditCanonical.json(signed);
    }

    /** The signature of an event with a key's secret, unpadded base64url. */
    public static String sign(JsonNode event, byte[] secret) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(event, secret));
    }

    /** A copy of the event carrying the signature made with {@code key}. */
    public static ObjectNode signed(ObjectNode event, SigningKey key) {
        ObjectNode copy = event.deepCopy();
        copy.remove(SIG);
        copy.put(KEY_ID, key.keyId());
        copy.put(SIG, sign(copy, key.secret()));
        return copy;
    }

    /** Whether {@code signature} (unpadded or padded base64url) is the event's signature with the secret; constant time. */
    public static boolean verify(JsonNode event, String signature, byte[] secret) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(event, secret), given);
    }

    private static byte[] mac(JsonNode event, byte[] secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(canonical(event).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}

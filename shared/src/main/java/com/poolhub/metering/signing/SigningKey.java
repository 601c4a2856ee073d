package com.poolhub.metering.signing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One producer signing key: its id ({@code <producerId>.<16 hex digits>}, so the id names its
 * producer), its 32-byte secret and when it was issued. {@link #toString()} never shows the secret.
 *
 * @param keyId    the id events carry in {@code sigkeyid}
 * @param secret   the HMAC key
 * @param issuedAt when it was issued
 */
public record SigningKey(String keyId, byte[] secret, Instant issuedAt) {
    /** The producer id rule: lower-case letters, digits and hyphens, 1 to 48 characters. */
    public static final Pattern PRODUCER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");
    /** The key id rule. */
    public static final Pattern KEY_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}\\.[0-9a-f]{16}");
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public SigningKey {
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("key id must match " + KEY_ID.pattern());
        }
        secret = secret.clone();
    }

    /** A fresh random key for a producer. */
    public static SigningKey issue(String producerId, Instant now) {
        byte[] id = new byte[8];
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new SigningKey(producerId + "." + HexFormat.of().formatHex(id), secret, now);
    }

    /** The producer a key id belongs to, or null when it is no key id. */
    public static String producerOf(String keyId) {
        return keyId != null && KEY_ID.matcher(keyId).matches() ? keyId.substring(0, keyId.lastIndexOf('.')) : null;
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** The secret as producers receive it once: unpadded base64url. */
    public String encodedSecret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Reads a secret given as base64url. */
    public static byte[] decodeSecret(String encoded) {
        return Base64.getUrlDecoder().decode(encoded);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey key && key.keyId.equals(keyId)
                && java.util.Arrays.equals(key.secret, secret) && key.issuedAt.equals(issuedAt);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "SigningKey[keyId=" + keyId + ", issuedAt=" + issuedAt + ", secret=(hidden)]";
    }
}

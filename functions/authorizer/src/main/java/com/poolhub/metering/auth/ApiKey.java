package com.poolhub.metering.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bearer API key, {@code phk_<id>_<secret>}: a public 16-hex-digit id that names the stored record,
 * and 32 random bytes (base64url) that only the holder knows. The store keeps the SHA-256 of the whole
 * key, never the key; 256 random bits make a plain hash safe against guessing.
 */
public record ApiKey(String id, String value) {
    private static final Pattern FORMAT = Pattern.compile("phk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new random key. */
    public static ApiKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String idHex = HexFormat.of().formatHex(id);
        return new ApiKey(idHex, "phk_" + idHex + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The key in a presented value, or empty when it does not have the key's shape. */
    public static Optional<ApiKey> parse(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher matcher = FORMAT.matcher(presented.trim());
        return matcher.matches() ? Optional.of(new ApiKey(matcher.group(1), presented.trim())) : Optional.empty();
    }

    /** The key from an {@code Authorization: Bearer <key>} header value. */
    public static Optional<ApiKey> fromBearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String trimmed = authorization.trim();
        if (trimmed.length() < 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return parse(trimmed.substring(7));
    }

    /** The hex SHA-256 of the whole key: what the store keeps. */
    public String hash() {
        return sha256(value);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether this key hashes to the stored hash, compared in constant time. */
    public boolean matches(String storedHash) {
        return storedHash != null && MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + "]";
    }
}

package com.poolhub.metering.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-bit identity of an event: the first 8 bytes of SHA-256 over the length-prefixed
 * {@code source} and {@code id}. Deduplication compares fingerprints within one aggregate key, where
 * the chance that two distinct events collide is about n²/2⁶⁵ (below 10⁻¹¹ for 10,000 events).
 */
public final class Fingerprint {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private Fingerprint() {
    }

    public static long of(String source, String id) {
        return digest64(source.length() + ":" + source + "\n" + id);
    }

    /** The first 8 bytes of the SHA-256 of a text's UTF-8 form. */
    static long digest64(String text) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return ByteBuffer.wrap(digest.digest(text.getBytes(StandardCharsets.UTF_8))).getLong();
    }
}

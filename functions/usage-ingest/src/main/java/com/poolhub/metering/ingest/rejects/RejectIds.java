package com.poolhub.metering.ingest.rejects;

import com.poolhub.metering.ingest.RejectedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id by which a client addresses a kept reject: its {@link RejectedRecord#key() key} in URL-safe
 * Base64 without padding, so it can travel in a path or a query as well as in a body. It is also the
 * page position {@code DynamoRejectStore} hands out after a reject, which the API checks with {@link #key}.
 */
public final class RejectIds {
    private static final Pattern KEY = Pattern.compile("[^#]+#[^#]+#[^#]+#(k\\d{5}\\.)?\\d{4,}");

    private RejectIds() {
    }

    public static String of(RejectedRecord reject) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(reject.key().getBytes(StandardCharsets.UTF_8));
    }

    /** The key of an id of a reject that arrived on {@code day}; empty when the id is not one. */
    public static Optional<String> key(String id, LocalDate day) {
        String key;
        try {
            key = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        try {
            Instant arrivedAt = Instant.parse(key.substring(0, key.indexOf('#')));
            return LocalDate.ofInstant(arrivedAt, ZoneOffset.UTC).equals(day) ? Optional.of(key) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package com.poolhub.metering.api;

import java.util.Map;

/**
 * An error the API answers with the contract's body {@code {"error": {"code", "message"}}}. Thrown
 * anywhere below a route; the {@link ApiRouter} turns it into the response. Messages are written
 * for the caller and never carry internals.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "VALIDATION", message);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "UNAUTHORIZED", "missing or invalid credentials");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "CONFLICT", message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", message);
    }

    /** 429 with {@code Retry-After} in whole seconds (at least 1). */
    public static ApiException tooManyRequests(String code, String message, long retryAfterSeconds) {
        return new ApiException(429, code, message, Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}

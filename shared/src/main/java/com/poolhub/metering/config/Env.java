package com.poolhub.metering.config;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Configuration read once from environment variables. A missing required variable fails fast with
 * its name; a malformed value fails with the name and the value.
 */
public final class Env {
    private static final ThreadLocal<Map<String, String>> HOSTED = new ThreadLocal<>();

    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * The process environment; while a host runs {@link #hosting}, the variables it gives instead,
     * as Lambda would have set them for the function being built.
     */
    public static Env system() {
        Map<String, String> hosted = HOSTED.get();
        return new Env(hosted != null ? hosted : System.getenv());
    }

    /**
     * Builds something (a handler, in a host that runs several functions in one process, such as the
     * local runner) with {@code variables} standing in for the process environment on this thread.
     */
    public static <T> T hosting(Map<String, String> variables, java.util.function.Supplier<T> build) {
        Map<String, String> previous = HOSTED.get();
        HOSTED.set(Map.copyOf(variables));
        try {
            return build.get();
        } finally {
            if (previous == null) {
                HOSTED.remove();
            } else {
                HOSTED.set(previous);
            }
        }
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("missing environment variable " + name);
        }
        return value.trim();
    }

    public String optional(String name, String fallback) {
        String value = values.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public boolean isSet(String name) {
        String value = values.get(name);
        return value != null && !value.isBlank();
    }

    public int intValue(String name, int fallback) {
        return parse(name, Integer.toString(fallback), Integer::parseInt);
    }

    public long longValue(String name, long fallback) {
        return parse(name, Long.toString(fallback), Long::parseLong);
    }

    public java.math.BigDecimal decimal(String name, String fallback) {
        return parse(name, fallback, java.math.BigDecimal::new);
    }

    public Duration days(String name, int fallback) {
        return Duration.ofDays(intValue(name, fallback));
    }

    private <T> T parse(String name, String fallback, Function<String, T> parser) {
        String raw = optional(name, fallback);
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            throw new IllegalStateException("environment variable " + name + " has an invalid value: " + raw, e);
        }
    }
}

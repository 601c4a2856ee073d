package com.poolhub.metering.event;

/**
 * Why an input was refused: a stable machine-readable code and a message for an operator.
 *
 * @param code    upper-case reason code, e.g. {@code INVALID_QUANTITY}
 * @param message what exactly was wrong, naming the field
 */
public record Rejection(String code, String message) {
    public Rejection {
        message = WellFormedText.of(message);
    }

    public static Rejection of(String code, String message) {
        return new Rejection(code, message);
    }
}

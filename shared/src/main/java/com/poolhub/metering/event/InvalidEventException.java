package com.poolhub.metering.event;

/** Thrown by validation when an event breaks a rule of the contract; carries the {@link Rejection}. */
public final class InvalidEventException extends RuntimeException {
    private final transient Rejection rejection;

    public InvalidEventException(String code, String message) {
        super(code + ": " + message, null, false, false);
        this.rejection = Rejection.of(code, message);
    }

    public Rejection rejection() {
        return rejection;
    }
}

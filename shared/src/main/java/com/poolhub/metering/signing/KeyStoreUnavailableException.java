package com.poolhub.metering.signing;

/** The key store could not be read for a passing cause; the events waiting on it are retried, not refused. */
public final class KeyStoreUnavailableException extends RuntimeException {
    public KeyStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package com.poolhub.metering.audit;

/**
 * The audit record of a change could not be written (the store failed, or too many writers raced
 * for the chain's head). The change must then not be applied; an API answers 503.
 */
public final class AuditUnavailableException extends RuntimeException {
    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

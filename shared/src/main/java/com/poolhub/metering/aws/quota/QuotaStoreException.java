package com.poolhub.metering.aws.quota;

/** The quota store could not be read or written for a passing cause; the request may be retried. */
public final class QuotaStoreException extends RuntimeException {
    public QuotaStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

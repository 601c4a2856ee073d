package com.poolhub.metering.pricing;

/** Usage or a conversion has no price in force: the price book does not cover its time. */
public final class MissingRateException extends RuntimeException {
    public MissingRateException(String message) {
        super(message);
    }
}

package com.poolhub.metering.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** The cold start baseline: a handler that does nothing, started and fed the same way as the functions. */
public final class EmptyHandler implements RequestHandler<Object, Object> {
    @Override
    public Object handleRequest(Object event, Context context) {
        return event == null ? "none" : event.getClass().getSimpleName();
    }
}

package com.poolhub.metering.logging;

import com.amazonaws.services.lambda.runtime.Context;
import org.slf4j.MDC;

/**
 * Puts the invocation's {@code AWSRequestId} and {@code functionName} into the MDC for the log lines
 * of one invocation; a handler opens it first thing and closes it (try-with-resources) when done.
 */
public final class LambdaLogContext implements AutoCloseable {
    static final String REQUEST_ID = "AWSRequestId";
    static final String FUNCTION_NAME = "functionName";

    private LambdaLogContext() {
    }

    /** Opens the context of one invocation; a null context (a local call) leaves the MDC empty. */
    public static LambdaLogContext of(Context context) {
        if (context != null) {
            put(REQUEST_ID, context.getAwsRequestId());
            put(FUNCTION_NAME, context.getFunctionName());
        }
        return new LambdaLogContext();
    }

    /** The request id of the invocation running on this thread, or null outside one (a local call). */
    public static String requestId() {
        return MDC.get(REQUEST_ID);
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(FUNCTION_NAME);
    }
}

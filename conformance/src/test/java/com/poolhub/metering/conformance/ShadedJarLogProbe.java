package com.poolhub.metering.conformance;

import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Started in a fresh JVM with only a function's shaded jar (and this class) on the class path: logs
 * one error with a request id in the MDC, the way a failing handler would, so the check can read
 * what the jar prints.
 */
public final class ShadedJarLogProbe {
    private ShadedJarLogProbe() {
    }

    public static void main(String[] args) {
        MDC.put("AWSRequestId", "probe-request");
        LoggerFactory.getLogger("probe").error("probe line", new IllegalStateException("probe failure"));
    }
}

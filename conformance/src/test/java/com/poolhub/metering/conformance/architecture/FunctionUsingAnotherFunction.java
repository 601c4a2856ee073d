package com.poolhub.metering.conformance.architecture;

import com.poolhub.metering.quota.function.QuotaFunction;

/** A deliberate violation for the architecture test: a function class that uses another function module's class. */
public final class FunctionUsingAnotherFunction {
    private FunctionUsingAnotherFunction() {
    }

    /** The quota function's handler type, which only the quota module may use. */
    public static Class<?> otherModulesHandler() {
        return QuotaFunction.class;
    }
}

package com.poolhub.metering.hardening.support;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Kills the function at its k-th DynamoDB write: that write and every call after it (any operation)
 * throw, as when the container dies there. With k = 0 it only counts the writes of a run.
 */
public final class KillSwitch implements ExecutionInterceptor {
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");

    private final int killAt;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean dead = new AtomicBoolean();

    private KillSwitch(int killAt) {
        this.killAt = killAt;
    }

    /** Kills at the k-th write (1-based). */
    public static KillSwitch atWrite(int k) {
        return new KillSwitch(k);
    }

    /** Never kills; counts writes. */
    public static KillSwitch counting() {
        return new KillSwitch(0);
    }

    public int writes() {
        return writes.get();
    }

    public boolean killed() {
        return dead.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (dead.get()) {
            throw new IllegalStateException("the container is gone");
        }
        if (WRITES.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                && writes.incrementAndGet() == killAt) {
            dead.set(true);
            throw new IllegalStateException("simulated crash at write " + killAt);
        }
    }
}

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
 * throw, as when the container dies there. With k = 0 it only counts the writes of a run. The
 * {@link #afterWrite(int)} variant lets the k-th write reach the table and dies before its response is
 * read, as when the container dies while the request is in flight.
 */
public final class KillSwitch implements ExecutionInterceptor {
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
            "TransactWriteItems");

    private final int killAt;
    private final boolean applied;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean dead = new AtomicBoolean();

    private KillSwitch(int killAt, boolean applied) {
        this.killAt = killAt;
        this.applied = applied;
    }

    /** Kills at the k-th write (1-based), before it is sent. */
    public static KillSwitch atWrite(int k) {
        return new KillSwitch(k, false);
    }

    /** Kills right after the k-th write (1-based) was applied, before its response is read. */
    public static KillSwitch afterWrite(int k) {
        return new KillSwitch(k, true);
    }

    /** Never kills; counts writes. */
    public static KillSwitch counting() {
        return new KillSwitch(0, false);
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
                && writes.incrementAndGet() == killAt && !applied) {
            dead.set(true);
            throw new IllegalStateException("simulated crash at write " + killAt);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (applied && !dead.get() && writes.get() == killAt
                && WRITES.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            dead.set(true);
            throw new IllegalStateException("simulated crash after write " + killAt + " was applied");
        }
    }
}

package com.poolhub.metering.aws.dynamodb;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Further counters that must move exactly when an aggregate counts new events (a tenant's quota
 * usage, say). When a key has companions, the store writes the aggregate and them in one
 * TransactWriteItems, so both change together or neither does, and a redelivery that the aggregate
 * skips cannot touch them either.
 *
 * @param <K> aggregate key
 * @param <E> domain event
 */
@FunctionalInterface
public interface CompanionWrites<K, E> {
    /** No companions: every key is a single conditional UpdateItem. */
    static <K, E> CompanionWrites<K, E> none() {
        return (key, fresh) -> List.of();
    }

    /**
     * The updates to apply with the aggregate for the events it newly counts; empty for none. Each
     * must be an {@code ADD}-style update that is correct to apply once per fresh event set.
     */
    List<Update> updatesFor(K key, List<E> freshEvents);
}

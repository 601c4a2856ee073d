package com.poolhub.metering.aws.dynamodb.ledger;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How one stream's aggregates sit in the ledger: the scope an aggregate key belongs to (all keys
 * of one window share a scope, so a batch writes one page a window, whatever its tenants), the
 * key's name within the scope, and a compact form of a partial state kept in a page.
 *
 * @param <K> aggregate key
 * @param <S> aggregate state
 */
public interface LedgerCodec<K, S> {
    /** The scope of a key: a short string naming the window (and stream). */
    String scope(K key);

    /** The key's name within its scope. */
    String member(K key);

    /** The key named {@code member} in {@code scope}. */
    K key(String scope, String member);

    /** A partial state as one attribute value. */
    AttributeValue encodeDelta(K key, S delta);

    /** The partial state an attribute value holds. */
    S decodeDelta(K key, AttributeValue value);

    /** When pages and the head of the key's scope may expire (epoch seconds): after the dedupe horizon. */
    long expiresAt(K key);
}

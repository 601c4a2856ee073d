package com.poolhub.metering.aws.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps an aggregate key and state to DynamoDB attributes.
 *
 * @param <K> aggregate key
 * @param <S> aggregate state
 */
public interface ItemCodec<K, S> {
    /** The primary key attributes ({@code pk}, {@code sk}). */
    Map<String, AttributeValue> key(K key);

    /** The state held by an existing item. */
    S decode(K key, Map<String, AttributeValue> item);

    /**
     * The non-key attributes to set for a state. Must not use the names the store owns:
     * {@code pk}, {@code sk}, {@code ver}, {@code fp}.
     */
    Map<String, AttributeValue> encode(K key, S state);
}

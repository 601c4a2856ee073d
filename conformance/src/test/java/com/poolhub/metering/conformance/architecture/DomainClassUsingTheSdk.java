package com.poolhub.metering.conformance.architecture;

import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A deliberate violation for the architecture test: a domain class that uses the SDK and an adapter. */
public final class DomainClassUsingTheSdk {
    private DomainClassUsingTheSdk() {
    }

    /** Builds a DynamoDB attribute, as domain code must not. */
    public static AttributeValue attribute(String text) {
        return AttributeValue.fromS(text);
    }

    /** Names an adapter, as domain code must not. */
    public static String adapter(DynamoRejectStore store) {
        return store.getClass().getName();
    }
}

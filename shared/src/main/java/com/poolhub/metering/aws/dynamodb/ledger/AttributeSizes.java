package com.poolhub.metering.aws.dynamodb.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Estimates of attribute sizes as DynamoDB counts them toward its 400 KB item limit. */
public final class AttributeSizes {
    private AttributeSizes() {
    }

    /** An item's size: every attribute's name and value. */
    public static int ofItem(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + of(attribute.getValue());
        }
        return size;
    }

    /** One value's size. */
    public static int of(AttributeValue value) {
        if (value.s() != null) {
            return value.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (value.n() != null) {
            return 1 + (value.n().length() + 1) / 2;
        }
        if (value.b() != null) {
            return value.b().asByteArrayUnsafe().length;
        }
        if (value.hasM()) {
            int size = 3;
            for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
                size += entry.getKey().getBytes(StandardCharsets.UTF_8).length + of(entry.getValue()) + 1;
            }
            return size;
        }
        if (value.hasL()) {
            int size = 3;
            for (AttributeValue element : value.l()) {
                size += of(element) + 1;
            }
            return size;
        }
        return 1;
    }
}

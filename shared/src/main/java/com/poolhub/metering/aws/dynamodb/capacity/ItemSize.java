package com.poolhub.metering.aws.dynamodb.capacity;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size in bytes by DynamoDB's published rules: attribute name UTF-8 bytes plus the value
 * (strings UTF-8 bytes, numbers one byte per two significant digits plus one, binaries raw bytes,
 * booleans and null one byte, lists and maps three bytes plus their elements plus one byte per
 * element, sets the sum of their elements).
 */
public final class ItemSize {
    private ItemSize() {
    }

    /** The size of a whole item (or of any attribute map); 0 for null. */
    public static long of(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + value(attribute.getValue());
        }
        return size;
    }

    /** The size of one value, without its name. */
    public static long value(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> number(value.n());
            case B -> value.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(ItemSize::utf8).sum();
            case NS -> value.ns().stream().mapToLong(ItemSize::number).sum();
            case BS -> value.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
            case L -> list(value.l());
            case M -> map(value.m());
            default -> throw new IllegalArgumentException("unknown attribute value type " + value.type());
        };
    }

    /** 1 byte per two significant digits (leading and trailing zeros trimmed), rounded up, plus 1. */
    static long number(String text) {
        String digits = new BigDecimal(text).unscaledValue().abs().toString().replaceAll("0+$", "");
        int significant = Math.max(1, digits.length());
        return (significant + 1) / 2 + 1;
    }

    private static long list(List<AttributeValue> elements) {
        long size = 3;
        for (AttributeValue element : elements) {
            size += value(element) + 1;
        }
        return size;
    }

    private static long map(Map<String, AttributeValue> entries) {
        return 3 + of(entries) + entries.size();
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}

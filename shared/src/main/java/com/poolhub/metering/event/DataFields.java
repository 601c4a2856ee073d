package com.poolhub.metering.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Typed, validated reads of an event's {@code data} object; every failure names the field. */
public final class DataFields {
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?\\d{1,40}(\\.\\d{1,40})?");

    private final JsonNode data;

    public DataFields(JsonNode data) {
        this.data = data;
    }

    public String requiredText(String field) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            throw invalid(field, field + " is missing");
        }
        if (!node.isTextual()) {
            throw invalid(field, field + " must be a string");
        }
        return node.textValue();
    }

    public Optional<String> optionalText(String field, int maxLength) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw invalid(field, field + " must be a string");
        }
        String value = node.textValue();
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            throw invalid(field, field + " must be at most " + maxLength + " characters, was " + length);
        }
        return Optional.of(value);
    }

    public Optional<String> optionalMatching(String field, Pattern pattern) {
        Optional<String> value = optionalText(field, Integer.MAX_VALUE);
        value.ifPresent(v -> {
            if (!pattern.matcher(v).matches()) {
                throw invalid(field, field + " must match " + pattern.pattern());
            }
        });
        return value;
    }

    public <T extends Enum<T>> T requiredEnum(String field, Function<String, Optional<T>> parser, Object[] allowed) {
        String raw = requiredText(field);
        return parser.apply(raw).orElseThrow(() -> invalid(field,
                field + " \"" + CloudEventReader.abbreviate(raw) + "\" is not one of " + Arrays.toString(allowed)));
    }

    /** An exact decimal given as a JSON number or string, within the precision limits. */
    public BigDecimal requiredDecimal(String field, int maxSignificantDigits, int maxScale) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            throw invalid(field, field + " is missing");
        }
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual() && PLAIN_DECIMAL.matcher(node.textValue()).matches()) {
            value = new BigDecimal(node.textValue());
        } else {
            throw invalid(field, field + " must be a decimal number or a decimal string");
        }
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (stripped.precision() > maxSignificantDigits) {
            throw invalid(field, field + " has more than " + maxSignificantDigits + " significant digits");
        }
        if (stripped.scale() > maxScale) {
            throw invalid(field, field + " has more than " + maxScale + " decimals");
        }
        // 1E+400 has one significant digit but 401 digits written out: too large to store or sum
        if ((long) stripped.precision() - stripped.scale() > maxSignificantDigits) {
            throw invalid(field, field + " has more than " + maxSignificantDigits + " digits before the decimal point");
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    public long requiredLong(String field, long min, long max) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            throw invalid(field, field + " is missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid(field, field + " must be an integer");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw invalid(field, field + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** An optional object of at most {@code maxPairs} string to string pairs. */
    public Map<String, String> optionalStringMap(String field, int maxPairs) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(field, field + " must be an object of string values");
        }
        if (node.size() > maxPairs) {
            throw invalid(field, field + " has " + node.size() + " pairs; at most " + maxPairs + " are allowed");
        }
        Map<String, String> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw invalid(field, field + "." + CloudEventReader.abbreviate(entry.getKey()) + " must be a string");
            }
            result.put(entry.getKey(), entry.getValue().textValue());
        }
        return Map.copyOf(result);
    }

    /** The reason code for a field: {@code INVALID_} and the field name in upper snake case. */
    public static InvalidEventException invalid(String field, String message) {
        String code = "INVALID_" + field.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
        return new InvalidEventException(code, message);
    }
}

package com.poolhub.metering.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical form of an audit record and its hash (docs/audit.md): a JSON object without
 * whitespace whose keys, at every depth, are in ascending code-unit order; strings escaped as
 * Jackson writes them; numbers as written by {@link java.math.BigDecimal#toString()} or as integers;
 * absent values as {@code null}. The record's hash is the lower-case hex SHA-256 of that text in
 * UTF-8, and the text holds the previous record's day, sequence and hash, which chains the records.
 */
public final class AuditCanonical {
    /** The version of the canonical form, part of the hashed text. */
    public static final int VERSION = 1;

    private AuditCanonical() {
    }

    /** The canonical text of a record (its own hash is not part of it). */
    public static String text(AuditRecord record) {
        Map<String, String> fields = new TreeMap<>();
        fields.put("after", json(record.change().after()));
        fields.put("at", string(DateTimeFormatter.ISO_INSTANT.format(record.at())));
        fields.put("before", json(record.change().before()));
        fields.put("day", string(record.day().toString()));
        fields.put("keyId", string(record.actor().keyId()));
        fields.put("prevDay", string(record.previous().isGenesis() ? null : record.previous().day().toString()));
        fields.put("prevHash", string(record.previous().hash()));
        fields.put("prevSeq", Long.toString(record.previous().sequence()));
        fields.put("principal", string(record.actor().principal()));
        fields.put("requestId", string(record.actor().requestId()));
        fields.put("role", string(record.actor().role()));
        fields.put("seq", Long.toString(record.sequence()));
        fields.put("subject", string(record.change().subject()));
        fields.put("type", string(record.change().type()));
        fields.put("v", Integer.toString(VERSION));
        return object(fields);
    }

    /** The record's hash: SHA-256 of its canonical text, as 64 lower-case hex digits. */
    public static String hash(AuditRecord record) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text(record).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The canonical text of a JSON value: sorted keys, no whitespace. Reading it back and writing it again gives the same text. */
    public static String json(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isObject()) {
            Map<String, String> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), json(field.getValue()));
            }
            return object(fields);
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(json(item)));
            return "[" + String.join(",", items) + "]";
        }
        if (node.isTextual()) {
            return string(node.textValue());
        }
        if (node.isBigDecimal() || node.isFloatingPointNumber()) {
            return node.decimalValue().toString();
        }
        return node.toString();
    }

    private static String object(Map<String, String> sortedFields) {
        StringBuilder out = new StringBuilder("{");
        sortedFields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(string(key)).append(':').append(value);
        });
        return out.append('}').toString();
    }

    private static String string(String value) {
        if (value == null) {
            return "null";
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }
}

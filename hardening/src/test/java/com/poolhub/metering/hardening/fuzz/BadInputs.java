package com.poolhub.metering.hardening.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile input: wrong types, huge and empty values, unicode edge cases,
 * injection strings, deep nesting, extreme numbers, and mutations of a valid JSON document (a field
 * removed, replaced, duplicated into a wrong place, the text truncated or a byte flipped). The same
 * seed always yields the same inputs.
 */
final class BadInputs {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] STRINGS = {
        "", " ", "\t\n", "null", "undefined", "NaN", "Infinity", "-Infinity", "true", "0", "-0", "-1", "1e309",
        "1E-400", "0x1F", "٣", "１２", "12.5.6", "1,5", "+1", " 1 ", "99999999999999999999999999999999999999",
        "0.0000000001", "-0.000000001", "1e3", "12.3456789012",
        "' OR '1'='1", "\"; DROP TABLE usage; --", "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>",
        "../../etc/passwd", "..%2F..%2F", "%00", "\u0000", "a\u0000b", "#", "acme#MINUTE", "acme|x", "acme/x",
        "ADMIN", "admin", "TENANT", "*", "%", "\\", "\"", "{}", "[]", "{\"a\":", "\uD83D\uDE80", "\uD800",
        "\uFEFFacme", "e\u0301", "\u202Eevil", "ｆｕｌｌ", "Ω≈ç√∫", "中文租户", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "2026-11-22T12:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22", "0000-00-00T00:00:00Z",
        "+999999999-12-31T23:59:59Z", "2026-11-22T12:00:00+25:00", "P9999999999D", "PT-24H", "PT0S", "P1Y",
        "GPU", "gpu", "QPU", "compute_seconds", "HOUR", "MONTH", "WEEK", "2026-13", "2026-00", "9999-12",
    };

    private final Random random;

    BadInputs(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    boolean nextBoolean() {
        return random.nextBoolean();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A hostile string: from the list, very long, random unicode, or random bytes read as text. */
    String string() {
        return switch (random.nextInt(8)) {
            case 0, 1, 2, 3 -> STRINGS[random.nextInt(STRINGS.length)];
            case 4 -> "x".repeat(1 + random.nextInt(5000));
            case 5 -> randomUnicode(1 + random.nextInt(80));
            case 6 -> new String(randomBytes(1 + random.nextInt(64)), StandardCharsets.UTF_8);
            default -> STRINGS[random.nextInt(STRINGS.length)] + STRINGS[random.nextInt(STRINGS.length)];
        };
    }

    /** A hostile JSON value of any type. */
    JsonNode value() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(new BigDecimal(random.nextBoolean() ? "1e400" : "-1e-400"));
            case 4 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 5 -> NODES.numberNode(-1 - random.nextInt(1000));
            case 6 -> NODES.arrayNode().add(string()).add(random.nextInt());
            case 7 -> NODES.objectNode().put(string(), string());
            case 8 -> deep(20 + random.nextInt(400));
            default -> NODES.textNode(string());
        };
    }

    /** Nesting of arrays and objects, {@code depth} levels deep. */
    JsonNode deep(int depth) {
        JsonNode node = NODES.textNode("bottom");
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("n", node);
        }
        return node;
    }

    /** Text of nesting far deeper than any parser should follow: arrays and objects, {@code depth} levels. */
    String deepText(int depth) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            text.append(i % 2 == 0 ? "[" : "{\"n\":");
        }
        text.append("1");
        for (int i = depth - 1; i >= 0; i--) {
            text.append(i % 2 == 0 ? "]" : "}");
        }
        return text.toString();
    }

    /** A mutation of a valid JSON document, as text: most stay JSON, some are broken on purpose. */
    String mutate(JsonNode valid) {
        switch (random.nextInt(10)) {
            case 0: {
                String text = valid.toString();
                return text.substring(0, random.nextInt(Math.max(1, text.length())));
            }
            case 1: {
                byte[] bytes = valid.toString().getBytes(StandardCharsets.UTF_8);
                for (int i = 1 + random.nextInt(3); i > 0 && bytes.length > 0; i--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case 2:
                return random.nextBoolean() ? value().toString() : string();
            default: {
                JsonNode copy = valid.deepCopy();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    copy = mutateTree(copy);
                }
                return copy.toString();
            }
        }
    }

    /** One structural change somewhere in the tree: a field replaced, removed or added, or the root swapped. */
    JsonNode mutateTree(JsonNode root) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(root, objects);
        if (objects.isEmpty()) {
            return value();
        }
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        int choice = random.nextInt(5);
        if (names.isEmpty() || choice == 4) {
            target.set(random.nextBoolean() ? string() : "extra", value());
        } else if (choice == 3) {
            target.remove(names.get(random.nextInt(names.size())));
        } else {
            target.set(names.get(random.nextInt(names.size())), value());
        }
        return root;
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                collectObjects(it.next(), into);
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> collectObjects(child, into));
        }
    }

    String randomUnicode(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0x800);
                case 2 -> 0x1F300 + random.nextInt(0x300);
                default -> random.nextInt(0xD800);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A body far above any request size limit (about 1 MB), sometimes valid JSON, sometimes not. */
    String hugeBody() {
        String filler = "y".repeat(1 << 20);
        return random.nextBoolean() ? "{\"resource\":\"" + filler + "\"}" : filler;
    }
}

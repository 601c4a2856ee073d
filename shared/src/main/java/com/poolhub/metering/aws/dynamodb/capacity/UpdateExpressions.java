package com.poolhub.metering.aws.dynamodb.capacity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Applies an UpdateItem update expression to a copy of an item, so that the new item's size is known
 * without asking DynamoDB to return it. Covers top-level attributes: {@code SET} with values, paths,
 * {@code if_not_exists}, {@code list_append} and {@code +}/{@code -}; {@code ADD} of numbers and
 * sets; {@code REMOVE}; {@code DELETE} from sets. Anything else is refused with an exception.
 */
public final class UpdateExpressions {
    private static final Pattern CLAUSE = Pattern.compile("(?i)\\b(SET|ADD|REMOVE|DELETE)\\b");

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;

    private UpdateExpressions(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names == null ? Map.of() : names;
        this.values = values == null ? Map.of() : values;
    }

    /** The item after the update; {@code before} null means the item did not exist (only its key is then kept). */
    public static Map<String, AttributeValue> apply(Map<String, AttributeValue> before, Map<String, AttributeValue> key,
                                                    String expression, Map<String, String> names,
                                                    Map<String, AttributeValue> values) {
        Map<String, AttributeValue> item = new HashMap<>(before == null ? key : before);
        item.putAll(key);
        if (expression != null && !expression.isBlank()) {
            new UpdateExpressions(names, values).run(item, expression);
        }
        return item;
    }

    private void run(Map<String, AttributeValue> item, String expression) {
        Matcher clause = CLAUSE.matcher(expression);
        List<int[]> starts = new ArrayList<>();
        while (clause.find()) {
            starts.add(new int[] {clause.start(), clause.end()});
        }
        for (int i = 0; i < starts.size(); i++) {
            String keyword = expression.substring(starts.get(i)[0], starts.get(i)[1]).toUpperCase();
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : expression.length();
            for (String action : splitTopLevel(expression.substring(starts.get(i)[1], end))) {
                apply(item, keyword, action.trim());
            }
        }
    }

    private void apply(Map<String, AttributeValue> item, String keyword, String action) {
        switch (keyword) {
            case "SET" -> {
                int eq = action.indexOf('=');
                item.put(name(action.substring(0, eq)), operand(item, action.substring(eq + 1).trim()));
            }
            case "REMOVE" -> item.remove(name(action));
            case "ADD" -> {
                String[] parts = action.split("\\s+", 2);
                String name = name(parts[0]);
                item.put(name, add(item.get(name), value(parts[1])));
            }
            case "DELETE" -> {
                String[] parts = action.split("\\s+", 2);
                String name = name(parts[0]);
                AttributeValue remaining = removeFromSet(item.get(name), value(parts[1]));
                if (remaining == null) {
                    item.remove(name);
                } else {
                    item.put(name, remaining);
                }
            }
            default -> throw new IllegalArgumentException("unsupported update clause " + keyword);
        }
    }

    private AttributeValue operand(Map<String, AttributeValue> item, String text) {
        List<String> sum = splitArithmetic(text);
        if (sum.size() == 3) {
            BigDecimal left = new BigDecimal(operand(item, sum.get(0)).n());
            BigDecimal right = new BigDecimal(operand(item, sum.get(2)).n());
            return AttributeValue.fromN((sum.get(1).equals("+") ? left.add(right) : left.subtract(right)).toPlainString());
        }
        String lower = text.toLowerCase();
        if (lower.startsWith("if_not_exists(")) {
            List<String> args = splitTopLevel(text.substring(text.indexOf('(') + 1, text.lastIndexOf(')')));
            AttributeValue existing = item.get(name(args.get(0)));
            return existing != null ? existing : operand(item, args.get(1).trim());
        }
        if (lower.startsWith("list_append(")) {
            List<String> args = splitTopLevel(text.substring(text.indexOf('(') + 1, text.lastIndexOf(')')));
            List<AttributeValue> joined = new ArrayList<>(operand(item, args.get(0).trim()).l());
            joined.addAll(operand(item, args.get(1).trim()).l());
            return AttributeValue.fromL(joined);
        }
        if (text.startsWith(":")) {
            return value(text);
        }
        AttributeValue existing = item.get(name(text));
        if (existing == null) {
            throw new IllegalArgumentException("update reads a missing attribute: " + text);
        }
        return existing;
    }

    private static AttributeValue add(AttributeValue existing, AttributeValue addend) {
        if (addend.n() != null) {
            BigDecimal base = existing == null ? BigDecimal.ZERO : new BigDecimal(existing.n());
            return AttributeValue.fromN(base.add(new BigDecimal(addend.n())).toPlainString());
        }
        if (addend.hasSs()) {
            Set<String> all = new LinkedHashSet<>(existing == null ? List.of() : existing.ss());
            all.addAll(addend.ss());
            return AttributeValue.fromSs(new ArrayList<>(all));
        }
        if (addend.hasNs()) {
            Set<String> all = new LinkedHashSet<>(existing == null ? List.of() : existing.ns());
            all.addAll(addend.ns());
            return AttributeValue.fromNs(new ArrayList<>(all));
        }
        throw new IllegalArgumentException("ADD supports numbers and string or number sets");
    }

    private static AttributeValue removeFromSet(AttributeValue existing, AttributeValue removed) {
        if (existing == null) {
            return null;
        }
        if (removed.hasSs()) {
            List<String> left = new ArrayList<>(existing.ss());
            left.removeAll(removed.ss());
            return left.isEmpty() ? null : AttributeValue.fromSs(left);
        }
        if (removed.hasNs()) {
            List<String> left = new ArrayList<>(existing.ns());
            left.removeAll(removed.ns());
            return left.isEmpty() ? null : AttributeValue.fromNs(left);
        }
        throw new IllegalArgumentException("DELETE supports string or number sets");
    }

    private String name(String token) {
        String trimmed = token.trim();
        if (trimmed.contains(".") || trimmed.contains("[")) {
            throw new IllegalArgumentException("nested update paths are not modelled: " + trimmed);
        }
        if (trimmed.startsWith("#")) {
            String resolved = names.get(trimmed);
            if (resolved == null) {
                throw new IllegalArgumentException("undefined attribute name " + trimmed);
            }
            return resolved;
        }
        return trimmed;
    }

    private AttributeValue value(String token) {
        AttributeValue value = values.get(token.trim());
        if (value == null) {
            throw new IllegalArgumentException("undefined attribute value " + token.trim());
        }
        return value;
    }

    /** Splits on commas outside parentheses. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int comma = topLevelIndex(text, start, ","); comma >= 0; comma = topLevelIndex(text, start, ",")) {
            parts.add(text.substring(start, comma));
            start = comma + 1;
        }
        parts.add(text.substring(start));
        parts.removeIf(String::isBlank);
        return parts;
    }

    /** {left, op, right} for a top-level {@code +} or {@code -}, else the text alone. */
    private static List<String> splitArithmetic(String text) {
        int i = topLevelIndex(text, 0, "+-");
        if (i >= 0) {
            return List.of(text.substring(0, i).trim(), String.valueOf(text.charAt(i)), text.substring(i + 1).trim());
        }
        return List.of(text);
    }

    /** The first index at or after {@code from} of one of {@code chars} outside parentheses, or -1. */
    private static int topLevelIndex(String text, int from, String chars) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && chars.indexOf(c) >= 0) {
                return i;
            }
        }
        return -1;
    }
}

package com.poolhub.metering.localrun;

import com.poolhub.metering.aws.dynamodb.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a template's values their local meaning: parameters take their defaults (the stage is
 * {@code local}), a DynamoDB table resource is the local name of its {@link Table} constant (the
 * resource {@code UsageTable} is {@code Table.USAGE}), other resources their name property, and
 * conditions are evaluated. {@code AWS::NoValue} resolves to nothing.
 */
public final class LocalValues {
    public static final String STAGE = "local";
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!]+)}");

    private final SamTemplate template;
    private final Map<String, String> overrides;

    public LocalValues(SamTemplate template, Map<String, String> overrides) {
        this.template = template;
        this.overrides = Map.copyOf(overrides);
    }

    /** The table constant a template table resource stands for, by the naming rule {@code UsageTable -> USAGE}. */
    public static Optional<Table> tableOf(String logicalId) {
        if (!logicalId.endsWith("Table")) {
            return Optional.empty();
        }
        String constant = logicalId.substring(0, logicalId.length() - "Table".length())
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
        try {
            return Optional.of(Table.valueOf(constant));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The logical id a table constant must have in the template. */
    public static String logicalIdOf(Table table) {
        StringBuilder id = new StringBuilder();
        for (String part : table.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.append("Table").toString();
    }

    /** A function's environment, resolved; variables resolving to {@code AWS::NoValue} are left out. */
    public Map<String, String> environment(SamTemplate.SamFunction function) {
        Map<String, String> resolved = new LinkedHashMap<>();
        function.environment().forEach((name, value) -> {
            String text = resolve(value);
            if (text != null) {
                resolved.put(name, text);
            }
        });
        return resolved;
    }

    /** A value's local text, or null for {@code AWS::NoValue}. */
    public String resolve(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Intrinsic intrinsic)) {
            return String.valueOf(value);
        }
        return switch (intrinsic.function()) {
            case "Ref" -> ref(String.valueOf(intrinsic.argument()));
            case "GetAtt" -> "arn:aws:local:us-east-1:000000000000:" + intrinsic.target();
            case "Sub" -> sub(intrinsic.argument());
            case "If" -> {
                List<Object> arguments = SamTemplate.list(intrinsic.argument());
                yield resolve(condition(String.valueOf(arguments.get(0))) ? arguments.get(1) : arguments.get(2));
            }
            default -> throw new IllegalArgumentException("the local runner cannot resolve !" + intrinsic.function());
        };
    }

    private String ref(String name) {
        if (name.contains(".")) {
            return ref(name.substring(0, name.indexOf('.')));
        }
        switch (name) {
            case "AWS::NoValue":
                return null;
            case "AWS::Region":
                return "us-east-1";
            case "AWS::AccountId":
                return "000000000000";
            case "AWS::Partition":
                return "aws";
            case "Stage":
                return overrides.getOrDefault("Stage", STAGE);
            default:
                break;
        }
        if (overrides.containsKey(name)) {
            return overrides.get(name);
        }
        Map<String, Object> parameter = SamTemplate.map(template.parameters().get(name));
        if (!parameter.isEmpty()) {
            return String.valueOf(parameter.getOrDefault("Default", ""));
        }
        if (template.typeOf(name) == null) {
            throw new IllegalArgumentException("!Ref " + name + " names nothing the template defines");
        }
        Optional<Table> table = tableOf(name);
        if (table.isPresent()) {
            return table.get().localName();
        }
        Map<String, Object> properties = template.properties(name);
        for (String key : List.of("Name", "TableName", "QueueName", "TopicName")) {
            if (properties.containsKey(key)) {
                return resolve(properties.get(key));
            }
        }
        return name;
    }

    private String sub(Object argument) {
        String text = argument instanceof List<?> list ? String.valueOf(list.get(0)) : String.valueOf(argument);
        Matcher matcher = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = name.contains(".") ? "arn:aws:local:us-east-1:000000000000:" + name : ref(name);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Evaluates a named condition with the local parameter values. */
    public boolean condition(String name) {
        Object definition = template.conditions().get(name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return truth(definition);
    }

    private boolean truth(Object expression) {
        if (!(expression instanceof Intrinsic intrinsic)) {
            return Boolean.parseBoolean(String.valueOf(expression));
        }
        List<Object> arguments = SamTemplate.list(intrinsic.argument());
        return switch (intrinsic.function()) {
            case "Not" -> !truth(arguments.get(0));
            case "Equals" -> String.valueOf(resolve(arguments.get(0))).equals(String.valueOf(resolve(arguments.get(1))));
            case "And" -> arguments.stream().allMatch(this::truth);
            case "Or" -> arguments.stream().anyMatch(this::truth);
            case "Condition" -> condition(String.valueOf(intrinsic.argument()));
            default -> throw new IllegalArgumentException("the local runner cannot evaluate !" + intrinsic.function());
        };
    }
}

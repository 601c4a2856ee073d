package com.poolhub.metering.localrun;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * An AWS SAM template read into plain maps and lists, with CloudFormation's short-form tags
 * ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, {@code !If}, ...) kept as {@link Intrinsic}s. Gives
 * the functions with their handler, environment, policies and event sources, Globals applied.
 */
public final class SamTemplate {
    private static final List<String> TAGS = List.of("Ref", "GetAtt", "Sub", "If", "Not", "Equals", "And", "Or",
            "Join", "Select", "Split", "FindInMap", "ImportValue", "Base64", "Condition", "GetAZs", "Cidr");

    private final Map<String, Object> root;

    public SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return parse(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public static SamTemplate parse(Reader reader) {
        Map<String, Object> root = new Yaml(new CloudFormationConstructor()).load(reader);
        return new SamTemplate(root);
    }

    public static SamTemplate parse(String text) {
        return parse(new java.io.StringReader(text));
    }

    /** The whole document. */
    public Map<String, Object> root() {
        return root;
    }

    public Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    public Map<String, Object> parameters() {
        return map(root.get("Parameters"));
    }

    public Map<String, Object> conditions() {
        return map(root.get("Conditions"));
    }

    /** A resource's {@code Type}, or null when the template does not define it. */
    public String typeOf(String logicalId) {
        Object resource = resources().get(logicalId);
        return resource == null ? null : String.valueOf(map(resource).get("Type"));
    }

    public Map<String, Object> properties(String logicalId) {
        return map(map(resources().get(logicalId)).get("Properties"));
    }

    /** Every {@code AWS::Serverless::Function}, with the Globals' environment merged under its own. */
    public List<SamFunction> functions() {
        Map<String, Object> globals = map(map(root.get("Globals")).get("Function"));
        Map<String, Object> globalVariables = map(map(globals.get("Environment")).get("Variables"));
        List<SamFunction> functions = new ArrayList<>();
        for (Map.Entry<String, Object> entry : resources().entrySet()) {
            Map<String, Object> resource = map(entry.getValue());
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                continue;
            }
            Map<String, Object> properties = map(resource.get("Properties"));
            Map<String, Object> variables = new LinkedHashMap<>(globalVariables);
            variables.putAll(map(map(properties.get("Environment")).get("Variables")));
            List<SamEvent> events = new ArrayList<>();
            map(properties.get("Events")).forEach((name, event) -> events.add(
                    new SamEvent(name, String.valueOf(map(event).get("Type")), map(map(event).get("Properties")))));
            functions.add(new SamFunction(entry.getKey(), String.valueOf(properties.get("CodeUri")),
                    String.valueOf(properties.get("Handler")), variables, list(properties.get("Policies")), events));
        }
        return functions;
    }

    public SamFunction function(String logicalId) {
        return functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + logicalId + " in the template"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A function of the template. */
    public record SamFunction(String logicalId, String codeUri, String handler, Map<String, Object> environment,
                              List<Object> policies, List<SamEvent> events) {

        /** The handler class name (the part before {@code ::}). */
        public String handlerClass() {
            int separator = handler.indexOf("::");
            return separator < 0 ? handler : handler.substring(0, separator);
        }

        /** The module folder the code comes from: {@code functions/x} for {@code functions/x/target/x-1.0.jar}. */
        public String moduleDirectory() {
            int target = codeUri.indexOf("/target/");
            return target < 0 ? codeUri : codeUri.substring(0, target);
        }

        public List<SamEvent> events(String type) {
            return events.stream().filter(e -> e.type().equals(type)).toList();
        }
    }

    /** One event source of a function: {@code Api}, {@code Kinesis}, {@code Schedule}, ... */
    public record SamEvent(String name, String type, Map<String, Object> properties) {
        public Object property(String key) {
            return properties.get(key);
        }
    }

    /** SnakeYAML's safe constructor plus CloudFormation's short-form tags. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            for (String function : TAGS) {
                yamlConstructors.put(new Tag("!" + function), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object argument;
                        if (node instanceof ScalarNode scalar) {
                            argument = constructScalar(scalar);
                        } else if (node instanceof SequenceNode sequence) {
                            argument = constructSequence(sequence);
                        } else {
                            argument = constructMapping((MappingNode) node);
                        }
                        return new Intrinsic(function, argument);
                    }
                });
            }
        }
    }
}

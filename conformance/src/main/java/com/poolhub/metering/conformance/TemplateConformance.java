package com.poolhub.metering.conformance;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.localrun.HandlerTypes;
import com.poolhub.metering.localrun.Intrinsic;
import com.poolhub.metering.localrun.LocalValues;
import com.poolhub.metering.localrun.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks {@code template.yaml} against the code in the repository and the contract: handler classes
 * exist and take their event sources' types; every variable the code reads is set; every policy and
 * variable names something the template defines, and every table or bus a function uses is covered
 * by one of its policies; tables match the {@link Table} enum; Kinesis sources have the settings the
 * ingest relies on; every contract route is wired; every sample event belongs to a function.
 * Functions whose module is not in the repository yet are reported as pending, not as problems.
 */
public final class TemplateConformance {
    private static final Pattern ENV_READ = Pattern.compile(
            "\\.(?:required|optional|intValue|longValue|decimal|days|isSet)\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
    private static final Pattern TABLE_USE = Pattern.compile("Table\\.([A-Z_]+)\\.(?:name|variable)\\(");
    /** A class handed the configuration: {@code Type.method(.. env ..)} or {@code new Type(.. env ..)}. */
    private static final Pattern ENV_PASSED = Pattern.compile(
            "(?:new\\s+)?\\b([A-Z][A-Za-z0-9]+)\\s*(?:\\.\\s*[a-z]\\w*\\s*)?\\((?:[^()]*\\benv\\b|\\s*Env\\.system\\(\\))");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b[A-Z][A-Za-z0-9]*\\b");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
    private static final Set<String> PSEUDO = Set.of("AWS::NoValue", "AWS::Region", "AWS::AccountId", "AWS::Partition",
            "AWS::StackName", "AWS::StackId", "AWS::URLSuffix");

    private final SamTemplate template;
    private final Path root;
    private final List<String> problems = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private final Map<String, Path> sharedSources = new LinkedHashMap<>();

    private TemplateConformance(SamTemplate template, Path root) {
        this.template = template;
        this.root = root;
        for (Path file : javaFiles(root.resolve("shared/src/main/java"))) {
            sharedSources.put(simpleName(file), file);
        }
    }

    /** Runs every check. */
    public static TemplateConformance check(SamTemplate template, Path repositoryRoot) {
        TemplateConformance conformance = new TemplateConformance(template, repositoryRoot);
        conformance.run();
        return conformance;
    }

    /** What is wrong with the template; empty when it conforms. */
    public List<String> problems() {
        return problems;
    }

    /** What the template declares for functions whose module has not landed yet. */
    public List<String> pending() {
        return pending;
    }

    /** The functions of the template whose module is in the repository. */
    public List<SamTemplate.SamFunction> landedFunctions() {
        return template.functions().stream().filter(this::landed).toList();
    }

    public boolean landed(SamTemplate.SamFunction function) {
        return Files.isRegularFile(root.resolve(function.moduleDirectory()).resolve("pom.xml"));
    }

    private void run() {
        for (SamTemplate.SamFunction function : template.functions()) {
            if (!landed(function)) {
                pending.add(function.logicalId() + ": " + function.moduleDirectory() + " is not in the repository yet");
                continue;
            }
            checkCode(function);
            checkHandler(function);
            checkEnvironment(function);
            checkPolicies(function);
            checkKinesisSources(function);
        }
        checkReferences();
        checkTables();
        checkRoutes();
        checkSampleEvents();
    }

    private void checkCode(SamTemplate.SamFunction function) {
        String artifact = artifactId(root.resolve(function.moduleDirectory()).resolve("pom.xml"));
        String expected = function.moduleDirectory() + "/target/" + artifact + "-1.0.0-SNAPSHOT.jar";
        if (!function.codeUri().equals(expected)) {
            problems.add(function.logicalId() + ": CodeUri " + function.codeUri() + " is not the module's shaded jar " + expected);
        }
        if (!function.handler().endsWith("::handleRequest")) {
            problems.add(function.logicalId() + ": Handler " + function.handler() + " must name Class::handleRequest");
        }
    }

    private void checkHandler(SamTemplate.SamFunction function) {
        Class<?> handler;
        try {
            handler = Class.forName(function.handlerClass(), false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            problems.add(function.logicalId() + ": handler class " + function.handlerClass() + " does not exist");
            return;
        }
        if (!HandlerTypes.isHandler(handler)) {
            problems.add(function.logicalId() + ": " + handler.getName() + " is not a Lambda handler");
            return;
        }
        try {
            handler.getConstructor();
        } catch (NoSuchMethodException e) {
            problems.add(function.logicalId() + ": " + handler.getName() + " has no public no-argument constructor");
        }
        var input = HandlerTypes.inputType(handler);
        for (SamTemplate.SamEvent event : function.events()) {
            List<Class<?>> accepted = switch (event.type()) {
                case "Kinesis" -> List.of(KinesisEvent.class);
                case "Api" -> List.of(APIGatewayProxyRequestEvent.class);
                case "Schedule", "ScheduleV2", "EventBridgeRule" -> List.of(ScheduledEvent.class, Map.class, Object.class);
                default -> List.of();
            };
            if (accepted.isEmpty()) {
                problems.add(function.logicalId() + ": event " + event.name() + " has an unchecked type " + event.type());
            } else if (input.isPresent() && accepted.stream().noneMatch(type -> type.isAssignableFrom(input.get()))) {
                problems.add(function.logicalId() + ": event " + event.name() + " (" + event.type() + ") sends "
                        + accepted.get(0).getSimpleName() + " but " + handler.getSimpleName() + " takes " + input.get().getSimpleName());
            }
        }
    }

    /** Variables read by the function's module and the shared classes it uses. */
    public Set<String> variablesRead(SamTemplate.SamFunction function) {
        Set<String> variables = new TreeSet<>();
        for (Path file : sourcesOf(function)) {
            String source = read(file);
            Matcher env = ENV_READ.matcher(source);
            while (env.find()) {
                variables.add(env.group(1));
            }
            Matcher table = TABLE_USE.matcher(source);
            while (table.find()) {
                variables.add(Table.valueOf(table.group(1)).variable());
            }
        }
        // endpoint overrides and Lambda's own variables are not the template's business
        variables.removeIf(name -> name.startsWith("AWS_"));
        return variables;
    }

    /** The tables the function's code names. */
    public Set<Table> tablesUsed(SamTemplate.SamFunction function) {
        Set<Table> tables = new TreeSet<>();
        for (Path file : sourcesOf(function)) {
            Matcher table = TABLE_USE.matcher(read(file));
            while (table.find()) {
                tables.add(Table.valueOf(table.group(1)));
            }
        }
        return tables;
    }

    private void checkEnvironment(SamTemplate.SamFunction function) {
        Set<String> set = function.environment().keySet();
        for (String variable : variablesRead(function)) {
            if (!set.contains(variable)) {
                problems.add(function.logicalId() + ": the code reads " + variable + " but the template does not set it");
            }
        }
    }

    private void checkPolicies(SamTemplate.SamFunction function) {
        Set<String> named = new HashSet<>();
        collectReferences(function.policies(), named);
        String policies = String.valueOf(function.policies());
        for (Table table : tablesUsed(function)) {
            String resource = LocalValues.logicalIdOf(table);
            if (!named.contains(resource)) {
                problems.add(function.logicalId() + ": uses table " + table + " but no policy names " + resource);
            }
        }
        Set<String> variables = variablesRead(function);
        if (variables.contains("EVENT_BUS_NAME") && !policies.contains("EventBridgePutEventsPolicy") && !policies.contains("events:PutEvents")) {
            problems.add(function.logicalId() + ": publishes events (EVENT_BUS_NAME) but no policy allows PutEvents");
        }
        if (variables.stream().anyMatch(v -> v.endsWith("_SECRET")) && !policies.contains("SecretsManager") && !policies.contains("secretsmanager:")) {
            problems.add(function.logicalId() + ": reads a secret but no policy allows reading it");
        }
    }

    private void checkKinesisSources(SamTemplate.SamFunction function) {
        LocalValues values = new LocalValues(template, Map.of());
        for (SamTemplate.SamEvent event : function.events("Kinesis")) {
            String where = function.logicalId() + "." + event.name();
            if (!String.valueOf(event.property("FunctionResponseTypes")).contains("ReportBatchItemFailures")) {
                problems.add(where + ": Kinesis source without FunctionResponseTypes [ReportBatchItemFailures]");
            }
            if (!"true".equals(String.valueOf(event.property("BisectBatchOnFunctionError")))) {
                problems.add(where + ": Kinesis source without BisectBatchOnFunctionError");
            }
            for (String property : List.of("MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "MaximumBatchingWindowInSeconds")) {
                if (event.property(property) == null) {
                    problems.add(where + ": Kinesis source without " + property);
                }
            }
            if (event.property("BatchSize") == null || !"10000".equals(values.resolve(event.property("BatchSize")))) {
                problems.add(where + ": Kinesis source BatchSize is not 10000");
            }
            Object destination = mapOf(mapOf(event.property("DestinationConfig")).get("OnFailure")).get("Destination");
            if (!(destination instanceof Intrinsic d) || !"AWS::SQS::Queue".equals(template.typeOf(d.target()))) {
                problems.add(where + ": Kinesis source without an OnFailure SQS destination");
            }
            if (!(event.property("Stream") instanceof Intrinsic s) || !"AWS::Kinesis::Stream".equals(template.typeOf(s.target()))) {
                problems.add(where + ": Kinesis source does not name a stream of the template");
            }
        }
    }

    /** Every Ref, GetAtt and Sub variable in Resources and Outputs names a resource, parameter or pseudo parameter. */
    private void checkReferences() {
        Set<String> named = new HashSet<>();
        collectReferences(template.resources(), named);
        collectReferences(template.root().get("Outputs"), named);
        for (String name : named) {
            if (!PSEUDO.contains(name) && template.typeOf(name) == null && !template.parameters().containsKey(name)) {
                problems.add("a reference names " + name + ", which the template does not define");
            }
        }
    }

    private void checkTables() {
        for (Table table : Table.values()) {
            String id = LocalValues.logicalIdOf(table);
            if (!"AWS::DynamoDB::Table".equals(template.typeOf(id))) {
                problems.add("table " + table + " has no AWS::DynamoDB::Table " + id);
                continue;
            }
            Map<String, Object> properties = template.properties(id);
            String text = String.valueOf(properties);
            if (!"PAY_PER_REQUEST".equals(properties.get("BillingMode"))) {
                problems.add(id + ": BillingMode is not PAY_PER_REQUEST");
            }
            if (!text.contains("{AttributeName=pk, KeyType=HASH}") || !text.contains("{AttributeName=sk, KeyType=RANGE}")) {
                problems.add(id + ": key is not pk (HASH) and sk (RANGE)");
            }
            if (!String.valueOf(properties.get("TimeToLiveSpecification")).equals("{AttributeName=ttl, Enabled=true}")) {
                problems.add(id + ": TTL is not enabled on ttl");
            }
            if (!String.valueOf(properties.get("PointInTimeRecoverySpecification")).contains("PointInTimeRecoveryEnabled=true")) {
                problems.add(id + ": point-in-time recovery is off");
            }
            Set<String> declared = new TreeSet<>();
            for (Object index : listOf(properties.get("GlobalSecondaryIndexes"))) {
                Map<String, Object> gsi = mapOf(index);
                List<Object> keys = listOf(gsi.get("KeySchema"));
                declared.add(gsi.get("IndexName") + "(" + mapOf(keys.get(0)).get("AttributeName") + "," + mapOf(keys.get(1)).get("AttributeName")
                        + "," + mapOf(gsi.get("Projection")).get("ProjectionType") + ")");
            }
            Set<String> wanted = new TreeSet<>();
            for (Table.Index index : table.indexes()) {
                wanted.add(index.name() + "(" + index.partitionAttribute() + "," + index.sortAttribute() + "," + projection(index) + ")");
            }
            if (!declared.equals(wanted)) {
                problems.add(id + ": indexes " + declared + " differ from the enum's " + wanted);
            }
            Set<String> attributes = new TreeSet<>();
            listOf(properties.get("AttributeDefinitions")).forEach(a -> attributes.add(mapOf(a).get("AttributeName") + ":" + mapOf(a).get("AttributeType")));
            Set<String> keyAttributes = new TreeSet<>(List.of("pk:S", "sk:S"));
            table.indexes().forEach(i -> {
                keyAttributes.add(i.partitionAttribute() + ":S");
                keyAttributes.add(i.sortAttribute() + ":S");
            });
            if (!attributes.equals(keyAttributes)) {
                problems.add(id + ": AttributeDefinitions " + attributes + " should be exactly the key attributes " + keyAttributes);
            }
        }
    }

    private static String projection(Table.Index index) {
        try {
            return String.valueOf(index.getClass().getMethod("projection").invoke(index));
        } catch (ReflectiveOperationException e) {
            return "ALL";
        }
    }

    /** Contract routes: wired in the template; pending when the function serving them has not landed. */
    private void checkRoutes() {
        Map<String, SamTemplate.SamFunction> wired = new LinkedHashMap<>();
        for (SamTemplate.SamFunction function : template.functions()) {
            for (SamTemplate.SamEvent event : function.events("Api")) {
                wired.put(routeKey(String.valueOf(event.property("Method")), String.valueOf(event.property("Path"))), function);
                if (!(event.property("RestApiId") instanceof Intrinsic api) || !"AWS::Serverless::Api".equals(template.typeOf(api.target()))) {
                    problems.add(function.logicalId() + "." + event.name() + ": route is not on the template's REST API (RestApiId)");
                }
            }
        }
        for (String route : contractRoutes()) {
            String[] parts = route.split(" ", 2);
            SamTemplate.SamFunction function = wired.get(routeKey(parts[0], parts[1]));
            if (function == null) {
                problems.add("contract route " + route + " is not wired to any function in the template");
            } else if (!landed(function)) {
                pending.add("contract route " + route + ": wired to " + function.logicalId() + ", whose module has not landed");
            }
        }
    }

    /** The contract's routes (CONTRACT.md section 3). */
    public static List<String> contractRoutes() {
        try (InputStream in = TemplateConformance.class.getResourceAsStream("/contract-routes.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /usage/{tenant}} and {@code get /usage/{t}} are the same route. */
    public static String routeKey(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]+}", "{}");
    }

    /** Every file in {@code events/} belongs to a function by its name prefix; every landed function has one. */
    private void checkSampleEvents() {
        Set<String> covered = new HashSet<>();
        for (Path file : sampleEvents()) {
            SamTemplate.SamFunction owner = ownerOf(file);
            if (owner == null) {
                problems.add("events/" + file.getFileName() + " belongs to no function of the template"
                        + " (an API request must match a wired route; another event is named <function>-....json)");
            } else {
                covered.add(owner.logicalId());
            }
        }
        for (SamTemplate.SamFunction function : landedFunctions()) {
            if (!covered.contains(function.logicalId())) {
                problems.add(function.logicalId() + ": no sample event in events/ (expected " + prefix(function) + "-*.json)");
            }
        }
    }

    public List<Path> sampleEvents() {
        try (Stream<Path> files = Files.list(root.resolve("events"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The function a sample event file belongs to: for an API Gateway request, the function the
     * template wires its method and path to; for any other event, the longest function prefix of its
     * name ({@code usage-ingest-valid.json} belongs to {@code UsageIngestFunction}).
     */
    public SamTemplate.SamFunction ownerOf(Path file) {
        com.fasterxml.jackson.databind.JsonNode event;
        try {
            event = com.poolhub.metering.json.Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
        if (event.hasNonNull("httpMethod") && event.hasNonNull("path")) {
            String[] path = event.get("path").asText().replaceAll("^/+|/+$", "").split("/+");
            for (SamTemplate.SamFunction function : template.functions()) {
                for (SamTemplate.SamEvent api : function.events("Api")) {
                    String[] route = String.valueOf(api.property("Path")).replaceAll("^/+|/+$", "").split("/+");
                    if (String.valueOf(api.property("Method")).equalsIgnoreCase(event.get("httpMethod").asText())
                            && matches(route, path)) {
                        return function;
                    }
                }
            }
            return null;
        }
        return ownerOf(file.getFileName().toString());
    }

    private static boolean matches(String[] route, String[] path) {
        if (route.length != path.length) {
            return false;
        }
        for (int i = 0; i < route.length; i++) {
            if (!route[i].startsWith("{") && !route[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }

    /** The function whose name prefix is the longest prefix of a file name. */
    public SamTemplate.SamFunction ownerOf(String fileName) {
        SamTemplate.SamFunction best = null;
        for (SamTemplate.SamFunction function : template.functions()) {
            String prefix = prefix(function) + "-";
            if (fileName.startsWith(prefix) && (best == null || prefix.length() > prefix(best).length() + 1)) {
                best = function;
            }
        }
        return best;
    }

    /** {@code UsageIngestFunction -> usage-ingest}. */
    public static String prefix(SamTemplate.SamFunction function) {
        return function.logicalId().replaceAll("Function$", "").replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * The module sources the function's handler reaches (by the class names they mention, so two
     * handlers sharing a jar are judged apart) and the shared sources the configuration flows into:
     * classes given the {@code Env} ({@code X.fromEnv(env)}, {@code new X(env)}), followed
     * transitively. A handler whose source is not in the module is judged by the whole module.
     */
    private Collection<Path> sourcesOf(SamTemplate.SamFunction function) {
        Map<String, List<Path>> module = new HashMap<>();
        for (Path file : javaFiles(root.resolve(function.moduleDirectory()).resolve("src/main/java"))) {
            module.computeIfAbsent(simpleName(file), name -> new ArrayList<>()).add(file);
        }
        String handler = function.handlerClass().substring(function.handlerClass().lastIndexOf('.') + 1);
        Set<Path> reached = new LinkedHashSet<>(module.getOrDefault(handler, List.of()));
        if (reached.isEmpty()) {
            module.values().forEach(reached::addAll);
        }
        List<Path> work = new ArrayList<>(reached);
        while (!work.isEmpty()) {
            String source = read(work.remove(work.size() - 1));
            Matcher names = ENV_PASSED.matcher(source);
            while (names.find()) {
                Path shared = sharedSources.get(names.group(1));
                if (shared != null && reached.add(shared)) {
                    work.add(shared);
                }
            }
            // a class named in a string is not one the code uses (a principal, a message)
            Matcher mentioned = CLASS_NAME.matcher(STRING_LITERAL.matcher(source).replaceAll("\"\""));
            while (mentioned.find()) {
                for (Path file : module.getOrDefault(mentioned.group(), List.of())) {
                    if (reached.add(file)) {
                        work.add(file);
                    }
                }
            }
        }
        return reached;
    }

    private static void collectReferences(Object node, Set<String> names) {
        if (node instanceof Intrinsic intrinsic) {
            switch (intrinsic.function()) {
                case "Ref", "GetAtt" -> names.add(intrinsic.target());
                case "Sub" -> {
                    Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(String.valueOf(
                            intrinsic.argument() instanceof List<?> l ? l.get(0) : intrinsic.argument()));
                    while (m.find()) {
                        String name = m.group(1);
                        names.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
                    }
                }
                default -> { }
            }
            collectReferences(intrinsic.argument(), names);
        } else if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectReferences(v, names));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectReferences(v, names));
        }
    }

    private static String artifactId(Path pom) {
        Matcher m = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(read(pom));
        return m.find() ? m.group(1) : "?";
    }

    private static List<Path> javaFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String simpleName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> listOf(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}

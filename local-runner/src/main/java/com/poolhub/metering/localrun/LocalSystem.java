package com.poolhub.metering.localrun;

import com.poolhub.metering.aws.dynamodb.TableProvisioner;
import com.poolhub.metering.local.MotoServer;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The whole system of {@code template.yaml} in one JVM with no AWS account and no Docker: a moto
 * server of its own (a Python child process) serving DynamoDB with every table, EventBridge with the
 * template's buses and rules (each rule delivering to an SQS queue the local runner polls for the
 * rule's function, and a catch-all subscription counting what is published), and Secrets Manager
 * with the coordinator key; a local coordinator billing endpoint; and every function whose module is
 * on the class path, built from the template's handler and environment. Functions whose module is not
 * built are listed as absent.
 */
public final class LocalSystem implements AutoCloseable {
    /** The coordinator API key stored in moto's Secrets Manager. */
    public static final String LOCAL_COORDINATOR_KEY = "local-coordinator-key";

    private final SamTemplate template;
    private final MotoServer moto;
    private final DynamoDbClient dynamo;
    private final List<BusSubscription> published = new ArrayList<>();
    private final RecordingHttpEndpoint coordinator;
    private final Map<String, HostedFunction> functions = new LinkedHashMap<>();
    private final Map<String, String> absent = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final LocalApiGateway api;
    private final LocalStreams streams;
    private final LocalSchedules schedules;
    private final LocalRules rules;

    private LocalSystem(SamTemplate template, Map<String, String> parameters) {
        System.setProperty("aws.region", System.getProperty("aws.region", "us-east-1"));
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "local"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "local"));
        this.template = template;
        this.moto = MotoServer.start();
        this.dynamo = LocalAws.dynamoDb(moto.endpoint());
        new TableProvisioner(dynamo).createAll();
        this.coordinator = RecordingHttpEndpoint.start(request -> RecordingHttpEndpoint.Response.json(200, "{\"accepted\": true}"));
        // locally every batch is folded into its aggregates at once, so what was just sent reads back
        Map<String, String> overrides = new LinkedHashMap<>(Map.of("CoordinatorBillingUrl", coordinator.endpoint().toString(),
                "IngestFoldSeconds", "0"));
        overrides.putAll(parameters);
        LocalValues values = new LocalValues(template, overrides);
        provisionBusesAndSecrets(values);
        for (SamTemplate.SamFunction function : template.functions()) {
            if (!classAvailable(function.handlerClass())) {
                absent.put(function.logicalId(), function.moduleDirectory() + " is not built");
                continue;
            }
            Map<String, String> environment = new LinkedHashMap<>(System.getenv());
            environment.putAll(values.environment(function));
            environment.put("AWS_ENDPOINT_URL_DYNAMODB", moto.endpoint().toString());
            environment.put("AWS_ENDPOINT_URL_EVENTBRIDGE", moto.endpoint().toString());
            environment.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
            environment.put("AWS_REGION", "us-east-1");
            environments.put(function.logicalId(), Map.copyOf(environment));
            functions.put(function.logicalId(), HostedFunction.start(function.logicalId(), function.handlerClass(), environment));
        }
        this.api = new LocalApiGateway(template, functions);
        this.streams = new LocalStreams(template, values, functions);
        this.schedules = new LocalSchedules(template, values, functions);
        this.rules = new LocalRules(template, values, functions, moto.endpoint());
    }

    /**
     * Creates the template's event buses, each with a catch-all subscription, and its Secrets Manager
     * secrets, each holding the local coordinator key.
     */
    private void provisionBusesAndSecrets(LocalValues values) {
        try (SecretsManagerClient secrets = LocalAws.secretsManager(moto.endpoint())) {
            for (String logicalId : template.resources().keySet()) {
                String type = template.typeOf(logicalId);
                if ("AWS::Events::EventBus".equals(type)) {
                    published.add(BusSubscription.toEverything(moto.endpoint(), values.resolve(new Intrinsic("Ref", logicalId))));
                } else if ("AWS::SecretsManager::Secret".equals(type)) {
                    String name = values.resolve(new Intrinsic("Ref", logicalId));
                    secrets.createSecret(c -> c.name(name).secretString(LOCAL_COORDINATOR_KEY));
                }
            }
        }
    }

    /** Starts everything from the template file. */
    public static LocalSystem start(Path templateFile) {
        return start(templateFile, Map.of());
    }

    /** Starts everything from the template file, with some of its parameters set ({@code ApiRateLimits=off}). */
    public static LocalSystem start(Path templateFile, Map<String, String> parameters) {
        return new LocalSystem(SamTemplate.load(templateFile), parameters);
    }

    public SamTemplate template() {
        return template;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** Every event published on the template's buses so far, as a catch-all subscriber received them. */
    public List<BusSubscription.Event> publishedEvents() {
        List<BusSubscription.Event> events = new ArrayList<>();
        published.forEach(subscription -> events.addAll(subscription.received()));
        return events;
    }

    /** What the coordinator billing endpoint received. */
    public List<RecordingHttpEndpoint.Request> coordinatorRequests() {
        return coordinator.requests();
    }

    public LocalApiGateway api() {
        return api;
    }

    public LocalStreams streams() {
        return streams;
    }

    public LocalSchedules schedules() {
        return schedules;
    }

    /** The template's EventBridge rules, delivering what their queues receive to their functions. */
    public LocalRules rules() {
        return rules;
    }

    public Optional<HostedFunction> function(String logicalId) {
        return Optional.ofNullable(functions.get(logicalId));
    }

    public boolean running(String logicalId) {
        return functions.containsKey(logicalId);
    }

    public List<String> runningFunctions() {
        return new ArrayList<>(functions.keySet());
    }

    /**
     * Builds something with a running function's environment, the way its handler was built: for
     * driving that function's service code directly, e.g. on a simulated clock.
     */
    public <T> T hosting(String logicalId, java.util.function.Supplier<T> build) {
        return com.poolhub.metering.config.Env.hosting(environment(logicalId), build);
    }

    /**
     * The environment a running function was built with: its template variables resolved, and the
     * endpoints of this system's emulators. For starting the function elsewhere, e.g. its shaded jar
     * in a fresh JVM.
     */
    public Map<String, String> environment(String logicalId) {
        Map<String, String> environment = environments.get(logicalId);
        if (environment == null) {
            throw new IllegalStateException(logicalId + " is not running");
        }
        return environment;
    }

    /** Functions of the template whose module is not on the class path, with why. */
    public Map<String, String> absentFunctions() {
        return absent;
    }

    /** Issues an API key through the template's key tool; answers with the key (shown once). */
    public String issueKey(String role, String principal) {
        HostedFunction admin = function("ApiKeyAdminFunction")
                .orElseThrow(() -> new IllegalStateException("ApiKeyAdminFunction is not running"));
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = admin.invoke(Map.of("action", "issue", "role", role, "principal", principal), Map.class);
        if (answer.containsKey("error")) {
            throw new IllegalArgumentException(String.valueOf(answer.get("error")));
        }
        return String.valueOf(answer.get("apiKey"));
    }

    private static boolean classAvailable(String name) {
        try {
            Class.forName(name, false, LocalSystem.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void close() {
        rules.close();
        schedules.close();
        coordinator.close();
        published.forEach(BusSubscription::close);
        dynamo.close();
        moto.close();
    }
}

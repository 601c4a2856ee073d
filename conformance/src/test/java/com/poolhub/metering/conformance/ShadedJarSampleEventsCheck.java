package com.poolhub.metering.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.poolhub.metering.localrun.HandlerTypes;
import com.poolhub.metering.localrun.LocalSystem;
import com.poolhub.metering.localrun.SamTemplate;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs in {@code verify}, after every function is packaged: every sample event of {@code events/} is
 * handled by the shaded jar of its function (the file that is deployed) in a fresh JVM, with the
 * function's template environment pointed at the emulators, read and answered through the Lambda
 * runtime's own serializers; no answer may be an error. What minimising a jar drops by mistake (a
 * class only reached by reflection, a service file, a resource) fails here.
 */
class ShadedJarSampleEventsCheck {
    private static final Path ROOT = TemplateConformanceTest.ROOT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalSystem system;
    private static TemplateConformance conformance;

    @BeforeAll
    static void start() {
        system = LocalSystem.start(ROOT.resolve("template.yaml"));
        conformance = TemplateConformance.check(system.template(), ROOT);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void everySampleEvent_isHandledByItsFunctionsShadedJar() throws Exception {
        List<String> failures = new ArrayList<>();
        int handled = 0;
        for (Path file : conformance.sampleEvents()) {
            SamTemplate.SamFunction owner = conformance.ownerOf(file);
            if (owner == null || !system.running(owner.logicalId())) {
                continue;
            }
            String outcome = handleInFreshJvm(owner, file);
            handled++;
            if (outcome != null) {
                failures.add(file.getFileName() + " -> " + owner.logicalId() + ": " + outcome);
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(handled >= 20, "only " + handled + " sample events were handled");
    }

    /** Null when the shaded jar handled the event as a deployed function would; else what went wrong. */
    private static String handleInFreshJvm(SamTemplate.SamFunction function, Path event) throws Exception {
        Path jar = ROOT.resolve(function.codeUri());
        if (!Files.isRegularFile(jar)) {
            return "no shaded jar at " + function.codeUri() + " (this check runs in verify)";
        }
        Optional<Class<?>> input = HandlerTypes.inputType(Class.forName(function.handlerClass()));
        Path answerFile = Files.createTempFile("shaded-answer", ".txt");
        Path logFile = Files.createTempFile("shaded-log", ".txt");
        try {
            String classpath = String.join(File.pathSeparator, jar.toString(), codeSource(ShadedJarEventProbe.class),
                    codeSource(LambdaEventSerializers.class));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", classpath, ShadedJarEventProbe.class.getName(),
                    function.handlerClass(), input.map(Class::getName).orElse(""), event.toString(), answerFile.toString())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().putAll(environment(function));
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "did not answer within 120 s: " + Files.readString(logFile);
            }
            String answer = Files.readString(answerFile, StandardCharsets.UTF_8);
            String verdict = verdict(answer, input);
            return verdict == null ? null : verdict + "\n" + tail(Files.readString(logFile));
        } finally {
            Files.deleteIfExists(answerFile);
            Files.deleteIfExists(logFile);
        }
    }

    /** The function's environment from the template and the emulators, with the emulators' credentials. */
    private static Map<String, String> environment(SamTemplate.SamFunction function) {
        Map<String, String> environment = new HashMap<>(system.environment(function.logicalId()));
        environment.putIfAbsent("AWS_ACCESS_KEY_ID", System.getProperty("aws.accessKeyId", "local"));
        environment.putIfAbsent("AWS_SECRET_ACCESS_KEY", System.getProperty("aws.secretAccessKey", "local"));
        return environment;
    }

    /** The same verdict as the in-process sample event test: no 5xx, no unrouted request, no batch item failure. */
    static String verdict(String answer, Optional<Class<?>> input) throws Exception {
        if (answer.startsWith("THREW ")) {
            // the authorizer's refusal, which API Gateway answers with 401
            return answer.startsWith("THREW java.lang.SecurityException: Unauthorized") ? null : answer;
        }
        if (!answer.startsWith("ANSWER ")) {
            return "the probe wrote no answer: " + answer;
        }
        String json = answer.substring("ANSWER ".length());
        if (json.isBlank()) {
            return "answered nothing";
        }
        JsonNode node = JSON.readTree(json);
        if (node.isNull()) {
            return input.map(Class::getSimpleName).filter("Void"::equals).isPresent() ? null : "answered nothing";
        }
        if (node.has("statusCode")) {
            int status = node.get("statusCode").asInt();
            boolean unrouted = status == 404 && node.path("body").asText().contains("no route for");
            return status < 500 && !unrouted ? null : "answered " + status + " " + node.path("body").asText();
        }
        if (input.filter(KinesisEvent.class::equals).isPresent() && node.has("batchItemFailures")) {
            return node.get("batchItemFailures").isEmpty() ? null : "batch item failures " + node.get("batchItemFailures");
        }
        return null;
    }

    private static String codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : "..." + log.substring(log.length() - 4000);
    }
}

package com.poolhub.metering.bench;

import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.LocalAws;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cold start of every function: its shaded jar's size, and the time from launching a fresh JVM with
 * that jar to its first handled sample event (class loading, client set-up and the first requests to
 * the local emulators included), next to an empty handler started the same way with the same jar and
 * event. Needs the functions packaged ({@code mvn -o -DskipTests package}). One line per function.
 */
final class ColdStartBenchmark {
    /** A function: its module folder, handler class and the sample event it gets. */
    record Target(String module, String handler, String event) {
    }

    static final List<Target> TARGETS = List.of(
            new Target("usage-ingest", "com.poolhub.metering.ingest.function.UsageIngestFunction", "usage-ingest-valid.json"),
            new Target("telemetry", "com.poolhub.metering.telemetry.function.TelemetryFunction", "telemetry-kinesis.json"),
            new Target("quota", "com.poolhub.metering.quota.function.QuotaFunction", "quota-consume.json"),
            new Target("usage-api", "com.poolhub.metering.usageapi.function.UsageApiFunction", "usage-api-get-usage.json"),
            new Target("usage-aggregator", "com.poolhub.metering.aggregator.function.UsageAggregatorFunction",
                    "usage-aggregator-schedule.json"),
            new Target("sla-api", "com.poolhub.metering.sla.api.SlaApiFunction", "sla-api-get-metrics.json"),
            new Target("sla-collector", "com.poolhub.metering.sla.function.SlaCollectorFunction",
                    "sla-collector-scheduled.json"),
            new Target("billing-sync", "com.poolhub.metering.billing.function.BillingApiFunction",
                    "billing-api-get-invoice.json")
    );

    private final URI dynamo;
    private final PrintStream out;
    private final int runs;

    ColdStartBenchmark(URI dynamo, PrintStream out, double scale) {
        this.dynamo = dynamo;
        this.out = out;
        this.runs = Math.max(1, (int) Math.round(3 * Math.min(1.0, scale)));
    }

    void run() throws Exception {
        Path root = projectRoot();
        Path launcherClasses = Path.of(ColdStartLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        out.printf("%nCold start: fresh JVM (-XX:TieredStopAtLevel=1, as Lambda) to first handled sample event, median of %d%n",
                runs);
        out.printf("%-18s %9s %12s %12s %12s %10s%n", "function", "jar MB", "handled ms", "empty ms", "difference",
                "init ms");
        URI eventBridge = LocalAws.motoEndpoint();
        BusSubscription.createBus(eventBridge, "poolhub");
        Map<String, String> env = environment(eventBridge);
        for (Target target : TARGETS) {
            Path jar = shadedJar(root.resolve("functions").resolve(target.module()));
            if (jar == null) {
                out.printf("%-18s not packaged: run mvn -o -DskipTests package first%n", target.module());
                continue;
            }
            String classpath = jar + File.pathSeparator + launcherClasses;
            File event = root.resolve("events").resolve(target.event()).toFile();
            double[] function = median(classpath, target.handler(), event, env);
            double[] empty = median(classpath, EmptyHandler.class.getName(), event, env);
            out.printf("%-18s %9.1f %12.0f %12.0f %12.0f %10.0f%n", target.module(), Files.size(jar) / 1e6,
                    function[0], empty[0], function[0] - empty[0], function[1]);
        }
    }

    /** Median over the runs of {wall ms to handled, constructor ms}. */
    private double[] median(String classpath, String handler, File event, Map<String, String> env) throws Exception {
        double[] walls = new double[runs];
        double[] inits = new double[runs];
        for (int i = 0; i < runs; i++) {
            double[] one = launch(classpath, handler, event, env);
            walls[i] = one[0];
            inits[i] = one[1];
        }
        Arrays.sort(walls);
        Arrays.sort(inits);
        return new double[] {walls[runs / 2], inits[runs / 2]};
    }

    private static double[] launch(String classpath, String handler, File event, Map<String, String> env)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-cp", classpath,
                ColdStartLauncher.class.getName(), handler, event.getAbsolutePath()).redirectErrorStream(true);
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        String handled = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("HANDLED ")) {
                    handled = line;
                    break;
                }
                output.add(line);
            }
        }
        double wall = (System.nanoTime() - started) / 1e6;
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (handled == null) {
            throw new IllegalStateException(handler + " did not handle its event: " + String.join("\n", output));
        }
        return new double[] {wall, Double.parseDouble(handled.split(" ")[1])};
    }

    private Map<String, String> environment(URI eventBridge) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.toString());
        env.put("EVENT_BUS_NAME", "poolhub");
        env.put("LOG_LEVEL", "WARN");
        for (Table table : Table.values()) {
            env.put(table.variable(), table.localName() + "-coldstart");
        }
        try (var client = com.poolhub.metering.local.LocalAws.dynamoDb(dynamo)) {
            Map<Table, String> names = new java.util.EnumMap<>(Table.class);
            for (Table table : Table.values()) {
                names.put(table, table.localName() + "-coldstart");
            }
            new com.poolhub.metering.aws.dynamodb.TableProvisioner(client).createAll(names);
        }
        return env;
    }

    private static Path shadedJar(Path module) throws Exception {
        Path target = module.resolve("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("original-"))
                    .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst().orElse(null);
        }
    }

    /** The checkout's root: the nearest folder up from here holding {@code functions/} and {@code events/}. */
    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("functions")) && Files.isDirectory(dir.resolve("events")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run the benchmarks from inside the project checkout");
        }
        return dir;
    }
}

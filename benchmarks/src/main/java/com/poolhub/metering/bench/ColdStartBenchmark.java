package com.poolhub.metering.bench;

import com.poolhub.metering.localrun.HandlerTypes;
import com.poolhub.metering.localrun.LocalSystem;
import com.poolhub.metering.localrun.SamTemplate;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Cold start of every function of the template: its shaded jar's size, and the time from launching a
 * fresh JVM with that jar (and the function's template environment, pointed at a {@link LocalSystem}'s
 * emulators) to its first handled sample event, next to an empty handler started the same way with the
 * same jar and event. Then the same as a SnapStart-style restore: the handler's CRaC hooks (its
 * priming) run before the first event is timed, as they run before SnapStart's snapshot; the restored
 * time is the JVM's way to {@code main} plus that first event. Last, each function's cost/latency curve
 * by memory size ({@link MemoryCurve}) from the measured CPU and wall times. Needs the functions
 * packaged ({@code mvn -o -DskipTests install}). {@code -Dbench.coldstart.functions=QuotaFunction,...}
 * measures only those; {@code -Dbench.coldstart.verbose=true} prints what the launched JVMs wrote and
 * {@code -Dbench.coldstart.jvmArgs="-Xlog:class+load:file=cl-%p.txt"} passes options to them.
 */
final class ColdStartBenchmark {
    /** A function of the template and the sample event it gets. */
    record Target(String function, String event) {
    }

    static final List<Target> TARGETS = List.of(
            new Target("AuthorizerFunction", "authorizer-token.json"),
            new Target("ApiKeyAdminFunction", "api-key-admin-issue.json"),
            new Target("UsageIngestFunction", "usage-ingest-valid.json"),
            new Target("RejectReplayFunction", "reject-replay-dry-run.json"),
            new Target("RejectsApiFunction", "rejects-api-get-rejects.json"),
            new Target("TelemetryFunction", "telemetry-kinesis.json"),
            new Target("SlaCollectorFunction", "sla-collector-scheduled.json"),
            new Target("SlaApiFunction", "sla-api-get-metrics.json"),
            new Target("UsageAggregatorFunction", "usage-aggregator-schedule.json"),
            new Target("UsageApiFunction", "usage-api-get-usage.json"),
            new Target("UsageAnomalyScanFunction", "usage-anomaly-scan-schedule.json"),
            new Target("QuotaFunction", "quota-consume.json"),
            new Target("ConsoleFunction", "console-get-index.json"),
            new Target("BillingSyncFunction", "billing-sync-schedule.json"),
            new Target("BillingApiFunction", "billing-api-get-invoice.json")
    );

    /** Warm invocations after the first, per launch. */
    private static final int WARM = 5;

    /** One launch's figures, as {@link ColdStartLauncher} prints them. */
    record Launch(double wallMs, double toMainMs, double constructMs, double hooksMs, double firstMs, double coldCpuMs,
                  double warmMs, double warmCpuMs, String outcome, int hooks) {
        /** A SnapStart-style restore: the way to main, then the first event after the hooks ran. */
        double restoredMs() {
            return toMainMs + firstMs;
        }
    }

    private final PrintStream out;
    private final int runs;

    ColdStartBenchmark(PrintStream out, double scale) {
        this.out = out;
        this.runs = Math.max(1, (int) Math.round(3 * Math.min(1.0, scale)));
    }

    void run() throws Exception {
        Path root = projectRoot();
        Path launcherClasses = Path.of(ColdStartLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (LocalSystem system = LocalSystem.start(root.resolve("template.yaml"))) {
            out.printf("%nCold start: fresh JVM (the template's JAVA_TOOL_OPTIONS, -XX:TieredStopAtLevel=1) to the first "
                    + "handled sample event, median of %d; restore: the handler's CRaC hooks run first (no checkpoint: "
                    + "this JDK has no CRaC), then the way to main plus the first event%n", runs);
            out.printf("%-25s %7s %8s %8s %6s %9s %9s %6s %6s %8s %8s %8s  %s%n", "function", "jar MB", "cold ms", "empty ms",
                    "x", "restore", "empty", "x", "hooks", "cold CPU", "warm ms", "warm CPU", "answer");
            Map<String, MemoryCurve> curves = new LinkedHashMap<>();
            String only = System.getProperty("bench.coldstart.functions", "");
            for (Target target : TARGETS) {
                if (!only.isBlank() && !List.of(only.split(",")).contains(target.function())) {
                    continue;
                }
                if (!system.running(target.function())) {
                    out.printf("%-25s not built: %s%n", target.function(), system.absentFunctions().get(target.function()));
                    continue;
                }
                SamTemplate.SamFunction function = system.template().function(target.function());
                Path jar = root.resolve(function.codeUri());
                if (!Files.isRegularFile(jar)) {
                    out.printf("%-25s not packaged: run mvn -o -DskipTests install first%n", target.function());
                    continue;
                }
                String classpath = jar + File.pathSeparator + launcherClasses;
                File event = root.resolve("events").resolve(target.event()).toFile();
                Map<String, String> env = environment(system, target.function());
                String input = HandlerTypes.inputType(Class.forName(function.handlerClass())).map(Class::getName).orElse("");
                Launch cold = median(classpath, "cold", function.handlerClass(), event, input, env);
                Launch empty = median(classpath, "cold", EmptyHandler.class.getName(), event, input, env);
                Launch restore = median(classpath, "restore", function.handlerClass(), event, input, env);
                out.printf("%-25s %7.1f %8.0f %8.0f %6.1f %9.0f %9.0f %6.1f %6d %8.0f %8.1f %8.1f  %s%n", target.function(),
                        Files.size(jar) / 1e6, cold.wallMs(), empty.wallMs(), cold.wallMs() / empty.wallMs(),
                        restore.restoredMs(), empty.restoredMs(), restore.restoredMs() / empty.restoredMs(), restore.hooks(),
                        cold.coldCpuMs(),
                        cold.warmMs(), cold.warmCpuMs(), cold.outcome());
                boolean waitedOn = !function.events("Api").isEmpty() || target.function().equals("AuthorizerFunction");
                curves.put(target.function(), new MemoryCurve(restore.firstMs(), 0, cold.warmCpuMs(),
                        Math.max(0, cold.warmMs() - cold.warmCpuMs()), waitedOn));
            }
            printCurves(curves);
        }
    }

    private void printCurves(Map<String, MemoryCurve> curves) {
        List<Integer> shown = List.of(512, 1024, 1536, 1769, 3008);
        out.printf("%nMemory size (model: CPU share = memory / 1769 MB; at each size the first event after a restore ms / "
                + "warm ms / USD per million invocations, 1 %% of them cold; arm64 us-east-1 prices)%n");
        StringBuilder header = new StringBuilder(String.format("%-25s %6s %6s", "function", "waited", "pick"));
        shown.forEach(size -> header.append(String.format(" %24s", size + " MB")));
        out.println(header);
        curves.forEach((function, curve) -> {
            StringBuilder line = new StringBuilder(String.format("%-25s %6s %6d", function, curve.waitedOn() ? "yes" : "no",
                    curve.pick()));
            shown.forEach(size -> line.append(String.format(" %8.0f/%6.1f/%8.3f", curve.cold(size), curve.warm(size),
                    curve.usdPerMillion(size))));
            out.println(line);
        });
    }

    /** The function's template environment on the local system, with the emulators' credentials. */
    private static Map<String, String> environment(LocalSystem system, String function) {
        Map<String, String> env = new HashMap<>(system.environment(function));
        env.putIfAbsent("AWS_ACCESS_KEY_ID", "local");
        env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "local");
        env.put("LOG_LEVEL", "WARN");
        return env;
    }

    /** The launch with the median wall time over the runs (each figure its own median). */
    private Launch median(String classpath, String mode, String handler, File event, String input,
                          Map<String, String> env) throws Exception {
        List<Launch> launches = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            launches.add(launch(classpath, mode, handler, event, input, env));
        }
        return new Launch(med(launches, Launch::wallMs), med(launches, Launch::toMainMs), med(launches, Launch::constructMs),
                med(launches, Launch::hooksMs), med(launches, Launch::firstMs), med(launches, Launch::coldCpuMs),
                med(launches, Launch::warmMs), med(launches, Launch::warmCpuMs), launches.get(0).outcome(),
                launches.get(0).hooks());
    }

    private static double med(List<Launch> launches, ToDoubleFunction<Launch> figure) {
        double[] values = launches.stream().mapToDouble(figure).toArray();
        Arrays.sort(values);
        return values[values.length / 2];
    }

    private static Launch launch(String classpath, String mode, String handler, File event, String input,
                                 Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx512m"));
        String extra = System.getProperty("bench.coldstart.jvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, ColdStartLauncher.class.getName(), mode, handler, event.getAbsolutePath(),
                String.valueOf(WARM), input));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        long startedEpoch = System.currentTimeMillis();
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
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (handled == null) {
            throw new IllegalStateException(handler + " did not handle its event: " + String.join("\n", output));
        }
        if (Boolean.getBoolean("bench.coldstart.verbose")) {
            output.forEach(line -> System.out.println("  | " + line));
        }
        // the cold figure: process start to the first answer (the hooks run only in restore mode, the warm
        // invocations after it)
        String[] f = handled.split(" ");
        double toMain = Long.parseLong(f[1]) - startedEpoch;
        double construct = Double.parseDouble(f[2]);
        double first = Double.parseDouble(f[4]);
        return new Launch(toMain + construct + first, toMain, construct, Double.parseDouble(f[3]), first,
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), f[8], Integer.parseInt(f[9]));
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

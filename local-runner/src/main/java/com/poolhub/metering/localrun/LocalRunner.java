package com.poolhub.metering.localrun;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The local runner's commands, all on {@code template.yaml} with no AWS account and no Docker:
 * <ul>
 *   <li>{@code simulate [--miners N] [--tenants M] [--hours H] [--seed S] [--report FILE]}: a pool
 *       driven through the real functions, printing SLA, capacity, usage, quota and invoice figures and
 *       writing an HTML report;</li>
 *   <li>{@code serve [--port P] [--kinesis mock] [--simulate HOURS]}: the REST API and the console ({@code /console/})
 *       on localhost with the key authorizer, schedules on their rates, and local-only routes to put events on a stream
 *       and issue keys (see {@link LocalServer}); with {@code --simulate} a simulated pool's last HOURS hours are
 *       loaded first, and a key is printed for each of its tenants and miners.</li>
 *   <li>{@code flood [--threads N] [--seconds S]}: a load test on the served API, one key flooding it while
 *       another tenant calls it steadily, with the key limits off and on (see {@link ApiKeyFlood}).</li>
 * </ul>
 */
public final class LocalRunner {
    private LocalRunner() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "simulate" : args[0];
        Map<String, String> options = options(args);
        Path template = Path.of(options.getOrDefault("template", "template.yaml"));
        switch (command) {
            case "simulate" -> {
                Simulation.Settings defaults = Simulation.Settings.defaults();
                Simulation.Settings settings = new Simulation.Settings(
                        Integer.parseInt(options.getOrDefault("miners", Integer.toString(defaults.miners()))),
                        Integer.parseInt(options.getOrDefault("tenants", Integer.toString(defaults.tenants()))),
                        Integer.parseInt(options.getOrDefault("hours", Integer.toString(defaults.hours()))),
                        Long.parseLong(options.getOrDefault("seed", Long.toString(defaults.seed()))));
                Path report = Path.of(options.getOrDefault("report", "target/simulation-report.html"));
                Path functionLog = Path.of("target/simulation-functions.log");
                Files.createDirectories(functionLog.toAbsolutePath().getParent());
                java.io.PrintStream console = System.out;
                try (LocalSystem system = LocalSystem.start(template);
                     java.io.PrintStream log = new java.io.PrintStream(Files.newOutputStream(functionLog), true, StandardCharsets.UTF_8)) {
                    // the functions' own output (metrics lines, logs) goes to a file, the figures to the console
                    System.setOut(log);
                    Simulation.Result result;
                    try {
                        result = new Simulation(system).run(settings, Instant.now());
                    } finally {
                        System.setOut(console);
                    }
                    System.out.print(SimulationReport.text(result));
                    System.out.println("function output: " + functionLog.toAbsolutePath());
                    Files.createDirectories(report.toAbsolutePath().getParent());
                    Files.writeString(report, HtmlReport.render(result), StandardCharsets.UTF_8);
                    System.out.println("HTML report: " + report.toAbsolutePath());
                }
                // the functions' worker pools are not daemon threads everywhere: end the run here
                System.out.flush();
                System.exit(0);
            }
            case "serve" -> {
                LocalSystem system = LocalSystem.start(template);
                Simulation.Result simulated = null;
                if (options.containsKey("simulate")) {
                    Simulation.Settings defaults = Simulation.Settings.defaults();
                    java.io.PrintStream console = System.out;
                    Path functionLog = Path.of("target/serve-simulation.log");
                    Files.createDirectories(functionLog.toAbsolutePath().getParent());
                    try (java.io.PrintStream log = new java.io.PrintStream(Files.newOutputStream(functionLog), true, StandardCharsets.UTF_8)) {
                        System.setOut(log);
                        simulated = new Simulation(system).run(new Simulation.Settings(defaults.miners(), defaults.tenants(),
                                Integer.parseInt(options.get("simulate")), defaults.seed()), Instant.now());
                    } finally {
                        System.setOut(console);
                    }
                }
                LocalServer server = LocalServer.start(system, Integer.parseInt(options.getOrDefault("port", "3000")));
                String admin = system.issueKey("ADMIN", "ops");
                System.out.println("Pool Hub Metering on " + server.url() + " (functions: " + String.join(", ", system.runningFunctions()) + ")");
                system.absentFunctions().forEach((f, why) -> System.out.println("  absent: " + f + " (" + why + ")"));
                System.out.println("admin key (shown once): " + admin);
                System.out.println("try: curl -H 'Authorization: Bearer " + admin + "' " + server.url() + "/usage/acme");
                System.out.println("console: " + server.url() + "/console/ (paste a key to sign in)");
                if (simulated != null) {
                    for (String tenant : simulated.tenants()) {
                        System.out.println("tenant " + tenant + " key: " + system.issueKey("TENANT", tenant));
                    }
                    System.out.println("miner " + simulated.miners().get(0).id() + " key: "
                            + system.issueKey("MINER", simulated.miners().get(0).id()));
                }
                System.out.println("more keys: curl -X POST -d '{\"role\":\"TENANT\",\"principal\":\"acme\"}' " + server.url() + "/local/keys");
                system.schedules().startTimers(System.out::println);
                if (options.containsKey("kinesis") && options.get("kinesis").equals("mock")) {
                    KinesisMockFeed feed = KinesisMockFeed.start(system, System.out::println).startPolling();
                    System.out.println("kinesis-mock on " + feed.endpoint() + ": put records on usage-events and miner-telemetry");
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    system.close();
                }));
                Thread.currentThread().join();
            }
            case "flood" -> {
                new ApiKeyFlood(template, System.out).run(Integer.parseInt(options.getOrDefault("threads", "8")),
                        Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20"))));
                System.exit(0);
            }
            default -> {
                System.err.println("usage: simulate [--miners N --tenants M --hours H --seed S --report FILE]"
                        + " | serve [--port P] [--kinesis mock] [--simulate HOURS] | flood [--threads N --seconds S]");
                System.exit(2);
            }
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}

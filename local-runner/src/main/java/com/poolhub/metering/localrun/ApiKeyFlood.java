package com.poolhub.metering.localrun;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load test on {@code serve}: one tenant's key floods {@code GET /usage/{tenant}} from several
 * threads while another tenant calls the same route at a steady pace, over HTTP. Three runs, each on
 * a fresh local system: the steady tenant alone, with the flood and the key limits off, and with the
 * flood and the template's key limits. Prints the steady tenant's latency and the flood's answers.
 */
final class ApiKeyFlood {
    private static final Duration STEADY_PACE = Duration.ofMillis(50);

    private final Path template;
    private final PrintStream out;

    ApiKeyFlood(Path template, PrintStream out) {
        this.template = template;
        this.out = out;
    }

    /** One run's figures. */
    record Run(String scenario, List<Long> steadyMicros, int steadyFailures, Map<Integer, Long> floodStatuses) {
        long percentile(double p) {
            List<Long> sorted = new ArrayList<>(steadyMicros);
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }
    }

    void run(int floodThreads, Duration length) throws Exception {
        out.printf("%nOne key floods GET /usage/{tenant} from %d threads for %d s while another tenant calls it every %d ms%n",
                floodThreads, length.toSeconds(), STEADY_PACE.toMillis());
        List<Run> runs = List.of(
                run("steady tenant alone", Map.of(), 0, length),
                run("flood, key limits off", Map.of("ApiRateLimits", "off"), floodThreads, length),
                run("flood, key limits on (template default)", Map.of(), floodThreads, length));
        out.printf("%-42s %9s %9s %9s %8s %s%n", "scenario", "p50 ms", "p99 ms", "steady", "failed", "flood answers by status");
        Run alone = runs.get(0);
        for (Run run : runs) {
            out.printf("%-42s %9.2f %9.2f %9d %8d %s   (p50 %.2fx alone)%n", run.scenario(), run.percentile(0.5) / 1000.0,
                    run.percentile(0.99) / 1000.0, run.steadyMicros().size(), run.steadyFailures(), run.floodStatuses(),
                    (double) run.percentile(0.5) / Math.max(1, alone.percentile(0.5)));
        }
    }

    private Run run(String scenario, Map<String, String> parameters, int floodThreads, Duration length) throws Exception {
        try (LocalSystem system = LocalSystem.start(template, parameters); LocalServer server = LocalServer.start(system, 0)) {
            String flooder = system.issueKey("TENANT", "acme");
            String steady = system.issueKey("TENANT", "globex");
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(floodThreads + 2)).build();
            URI acme = URI.create(server.url() + "/usage/acme");
            URI globex = URI.create(server.url() + "/usage/globex");
            // warm every path once, so the runs compare serving and not class loading
            send(http, globex, steady);
            send(http, acme, flooder);
            long end = System.nanoTime() + length.toNanos();
            Map<Integer, Long> statuses = new ConcurrentHashMap<>();
            ExecutorService flood = Executors.newFixedThreadPool(Math.max(1, floodThreads));
            List<Future<?>> floods = new ArrayList<>();
            for (int i = 0; i < floodThreads; i++) {
                floods.add(flood.submit(() -> {
                    while (System.nanoTime() < end) {
                        statuses.merge(send(http, acme, flooder), 1L, Long::sum);
                    }
                    return null;
                }));
            }
            List<Long> micros = new ArrayList<>();
            AtomicLong failures = new AtomicLong();
            while (System.nanoTime() < end) {
                long began = System.nanoTime();
                if (send(http, globex, steady) != 200) {
                    failures.incrementAndGet();
                }
                long took = System.nanoTime() - began;
                micros.add(took / 1000);
                long rest = STEADY_PACE.toNanos() - took;
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
            }
            for (Future<?> f : floods) {
                f.get();
            }
            flood.shutdown();
            return new Run(scenario, micros, (int) failures.get(), new java.util.TreeMap<>(statuses));
        }
    }

    private static int send(HttpClient http, URI uri, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

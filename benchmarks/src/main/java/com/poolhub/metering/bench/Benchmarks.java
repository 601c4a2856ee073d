package com.poolhub.metering.bench;

import com.poolhub.metering.local.LocalAws;
import java.net.URI;
import java.util.List;

/**
 * The benchmark command: runs the selected benchmarks on one local DynamoDB emulator (moto) and prints their
 * figures. Arguments name the benchmarks ({@code ingest}, {@code quota}, {@code sla}, {@code rollup},
 * {@code coldstart}, {@code audit}, {@code signing}; default: all). Sizes scale with {@code -Dbench.scale=0.1} for a quick look.
 */
public final class Benchmarks {
    static final List<String> ALL = List.of("ingest", "quota", "sla", "rollup", "coldstart", "audit", "signing");

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> selected = args.length == 0 || List.of(args).contains("all") ? ALL : List.of(args);
        double scale = Double.parseDouble(System.getProperty("bench.scale", "1.0"));
        URI dynamo = LocalAws.dynamoDbEndpoint();
        long began = System.nanoTime();
        for (String name : selected) {
            switch (name) {
                case "ingest" -> new IngestBenchmark(dynamo, System.out, scale).run();
                case "quota" -> QuotaLatencyBenchmark.run(scale);
                case "sla" -> SlaCollectionBenchmark.run(sized(1_000, scale), sized(10_000, scale));
                case "rollup" -> UsageRollupBenchmark.run(sized(1_000, scale), sized(10_000, scale));
                case "coldstart" -> new ColdStartBenchmark(System.out, scale).run();
                case "audit" -> AuditBenchmark.run(scale);
                case "signing" -> SigningBenchmark.run(scale);
                default -> throw new IllegalArgumentException("unknown benchmark " + name + "; choose from " + ALL);
            }
        }
        System.out.printf("%nbenchmarks %s done in %.0f s%n", selected, (System.nanoTime() - began) / 1e9);
        System.exit(0);
    }

    private static int sized(int base, double scale) {
        return Math.max(100, (int) (base * scale));
    }
}

package com.poolhub.metering.bench;

import com.poolhub.metering.local.EmbeddedDynamoDb;
import java.util.List;

/**
 * The benchmark command: runs each benchmark on one embedded DynamoDB Local and prints its figures.
 * Arguments name the benchmarks to run (default: all). Record counts can be scaled with
 * {@code -Dbench.scale=0.1} for a quick look.
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) {
        List<String> selected = args.length == 0 ? List.of("ingest") : List.of(args);
        double scale = Double.parseDouble(System.getProperty("bench.scale", "1.0"));
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start()) {
            if (selected.contains("ingest")) {
                new IngestBenchmark(dynamo.endpoint(), System.out, scale).run(100, 1_000, 10_000);
            }
        }
        System.exit(0);
    }
}

package com.poolhub.metering.hardening.fuzz;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.hardening.support.LocalStack;
import com.poolhub.metering.ingest.Aggregation;
import com.poolhub.metering.ingest.EventDecoder;
import com.poolhub.metering.ingest.function.UsageIngestFunction;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.TelemetryAggregation;
import com.poolhub.metering.telemetry.TelemetryEventDecoder;
import com.poolhub.metering.telemetry.function.TelemetryFunction;
import com.poolhub.metering.testing.TelemetryEventJson;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.UsageAggregation;
import com.poolhub.metering.usage.UsageEventDecoder;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Every Kinesis stream on main: its pure decoder and fold (for the fast in-memory pass), its handler
 * wired on local tables (for the DynamoDB pass), and a maker of valid events to mutate. Adding a
 * stream is one entry here.
 */
public final class StreamTargets {
    /** A stream's entry points. */
    public record StreamTarget(String name, EventDecoder<?> decoder, Aggregation<?, ?, ?> aggregation,
                        BiFunction<Random, Instant, ObjectNode> validEvent,
                        Function<LocalStack, RequestHandler<KinesisEvent, StreamsEventResponse>> handler) {
    }

    private static final String[][] USAGE_SERIES = {{"GPU", "compute_seconds"}, {"INFERENCE", "tokens"},
            {"NETWORK", "gb"}, {"STORAGE", "iops"}, {"MEMORY", "gb_hours"}, {"TPU", "flop"}};

    public static final List<StreamTarget> ALL = List.of(
            new StreamTarget("usage-events", new UsageEventDecoder(), new UsageAggregation(), StreamTargets::usage,
                    local -> new UsageIngestFunction(UsageIngestion.fromEnv(local.env())
                            .pipeline(local.dynamo(), local.clock()))),
            new StreamTarget("miner-telemetry", new TelemetryEventDecoder(), new TelemetryAggregation(new BucketGrid(60)),
                    StreamTargets::telemetry, local -> new TelemetryFunction(TelemetryIngestion.fromEnv(local.env())
                            .pipeline(local.dynamo(), local.clock())))
    );

    private StreamTargets() {
    }

    private static ObjectNode usage(Random random, Instant time) {
        String[] series = USAGE_SERIES[random.nextInt(USAGE_SERIES.length)];
        return UsageEventJson.event("//nodes/n" + random.nextInt(9), "u-" + random.nextLong(),
                "tenant-" + random.nextInt(5), series[0], series[1], random.nextInt(10_000) + "." + random.nextInt(1000),
                time);
    }

    private static ObjectNode telemetry(Random random, Instant time) {
        String miner = "miner-" + random.nextInt(5);
        String id = "t-" + random.nextLong();
        return switch (random.nextInt(3)) {
            case 0 -> TelemetryEventJson.heartbeat(id, miner, time, "ONLINE", 8, random.nextInt(9));
            case 1 -> TelemetryEventJson.match(id, miner, time, "job-" + random.nextInt(100),
                    Integer.toString(random.nextInt(5000)));
            default -> TelemetryEventJson.job(id, miner, time, "job-" + random.nextInt(100), "SUCCEEDED");
        };
    }
}

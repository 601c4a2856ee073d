package com.poolhub.metering.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.time.Instant;

/** Builds {@code miner-telemetry} CloudEvents as JSON for tests. */
public final class TelemetryEventJson {
    private TelemetryEventJson() {
    }

    private static ObjectNode envelope(String id, String type, String miner, Instant time) {
        ObjectNode event = Json.object();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", "//miners/" + miner);
        event.put("type", type);
        event.put("subject", miner);
        event.put("time", time.toString());
        return event;
    }

    public static ObjectNode heartbeat(String id, String miner, Instant time, String status, int gpus, int gpusFree) {
        ObjectNode event = envelope(id, "miner.heartbeat.v1", miner, time);
        event.putObject("data").put("status", status).put("gpus", gpus).put("gpusFree", gpusFree)
                .put("gpuModel", "H100").put("region", "eu-west-1");
        return event;
    }

    public static ObjectNode match(String id, String miner, Instant time, String jobId, String responseMs) {
        ObjectNode event = envelope(id, "miner.match.v1", miner, time);
        event.putObject("data").put("jobId", jobId).put("responseMs", new java.math.BigDecimal(responseMs));
        return event;
    }

    public static ObjectNode job(String id, String miner, Instant time, String jobId, String outcome) {
        ObjectNode event = envelope(id, "miner.job.v1", miner, time);
        event.putObject("data").put("jobId", jobId).put("outcome", outcome).put("durationMs", 1200);
        return event;
    }
}

package com.poolhub.metering.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.time.Instant;

/** Builds {@code compute.usage.v1} CloudEvents as JSON text for tests. */
public final class UsageEventJson {
    private UsageEventJson() {
    }

    public static ObjectNode event(String source, String id, String tenant, String resource, String unit,
                                   String quantity, Instant time) {
        ObjectNode event = Json.object();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", source);
        event.put("type", "compute.usage.v1");
        event.put("subject", tenant);
        event.put("time", time.toString());
        ObjectNode data = event.putObject("data");
        data.put("resource", resource);
        data.put("unit", unit);
        data.put("quantity", quantity);
        return event;
    }

    public static String gpuSeconds(String id, String tenant, String quantity, Instant time) {
        return event("//nodes/gpu-node-1", id, tenant, "GPU", "compute_seconds", quantity, time).toString();
    }
}

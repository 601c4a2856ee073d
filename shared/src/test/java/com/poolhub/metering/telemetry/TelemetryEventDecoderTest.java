package com.poolhub.metering.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.event.CloudEvent;
import com.poolhub.metering.event.InvalidEventException;
import com.poolhub.metering.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TelemetryEventDecoderTest {
    final TelemetryEventDecoder decoder = new TelemetryEventDecoder();

    CloudEvent event(String type, ObjectNode data) {
        return new CloudEvent("1", "//miners/m", type, "m", Instant.parse("2026-11-22T10:00:00Z"), data);
    }

    String rejection(String type, ObjectNode data) {
        return assertThrows(InvalidEventException.class, () -> decoder.decode(event(type, data))).rejection().code();
    }

    @Test
    void match_responseMs_isKeptInMicroseconds_roundedHalfEven() {
        var match = (TelemetryEvent.Match) decoder.decode(event(TelemetryEventDecoder.MATCH,
                Json.object().put("jobId", "j").put("responseMs", "12.3455")));
        assertEquals(12_346, match.responseMicros());
    }

    @Test
    void badFields_areRejectedWithTheFieldsReason() {
        assertEquals("INVALID_GPUS_FREE", rejection(TelemetryEventDecoder.HEARTBEAT,
                Json.object().put("status", "ONLINE").put("gpus", 2).put("gpusFree", 3)));
        assertEquals("INVALID_GPUS", rejection(TelemetryEventDecoder.HEARTBEAT,
                Json.object().put("status", "ONLINE").put("gpus", -1).put("gpusFree", 0)));
        assertEquals("INVALID_STATUS", rejection(TelemetryEventDecoder.HEARTBEAT,
                Json.object().put("status", "online").put("gpus", 1).put("gpusFree", 0)));
        assertEquals("INVALID_JOB_ID", rejection(TelemetryEventDecoder.MATCH, Json.object().put("responseMs", 3)));
        assertEquals("INVALID_RESPONSE_MS", rejection(TelemetryEventDecoder.MATCH,
                Json.object().put("jobId", "j").put("responseMs", "fast")));
        assertEquals("INVALID_OUTCOME", rejection(TelemetryEventDecoder.JOB,
                Json.object().put("jobId", "j").put("outcome", "DONE")));
        assertEquals("INVALID_TENANT", rejection(TelemetryEventDecoder.JOB,
                Json.object().put("jobId", "j").put("outcome", "FAILED").put("tenant", "a b")));
        assertEquals("UNSUPPORTED_TYPE", rejection("compute.usage.v1", Json.object()));
    }
}

package com.poolhub.metering.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.event.InvalidEventException;
import com.poolhub.metering.json.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every rule of CONTRACT §1 and §1.1, each refused with its own reason code. */
class UsageEventValidationTest {
    private final CloudEventReader reader = new CloudEventReader();
    private final UsageEventDecoder decoder = new UsageEventDecoder();

    private static ObjectNode valid() {
        ObjectNode event = Json.object();
        event.put("specversion", "1.0").put("id", "evt-1").put("source", "//nodes/gpu-node-17")
                .put("type", "compute.usage.v1").put("subject", "acme").put("time", "2026-11-22T10:00:00+02:00");
        event.putObject("data").put("resource", "GPU").put("unit", "compute_seconds").put("quantity", "12.5");
        return event;
    }

    private static Arguments broken(String code, Consumer<ObjectNode> change) {
        return Arguments.of(code, change);
    }

    static Stream<Arguments> brokenEvents() {
        return Stream.of(
                broken("INVALID_SPECVERSION", e -> e.put("specversion", "0.3")),
                broken("INVALID_SPECVERSION", e -> e.put("specversion", 1.0)),
                broken("INVALID_ID", e -> e.remove("id")),
                broken("INVALID_ID", e -> e.put("id", "")),
                broken("INVALID_ID", e -> e.put("id", "x".repeat(129))),
                broken("INVALID_SOURCE", e -> e.put("source", "s".repeat(257))),
                broken("INVALID_TYPE", e -> e.put("type", 7)),
                broken("UNSUPPORTED_TYPE", e -> e.put("type", "miner.heartbeat.v1")),
                broken("INVALID_SUBJECT", e -> e.put("subject", "acme corp")),
                broken("INVALID_SUBJECT", e -> e.put("subject", "a".repeat(65))),
                broken("INVALID_TIME", e -> e.put("time", "2026-11-22T10:00:00")),
                broken("INVALID_TIME", e -> e.put("time", "yesterday")),
                broken("INVALID_DATA", e -> e.put("data", "text")),
                broken("INVALID_RESOURCE", e -> data(e).put("resource", "QPU")),
                broken("INVALID_UNIT", e -> data(e).put("unit", "hours")),
                broken("INVALID_UNIT", e -> data(e).put("unit", "tokens")),
                broken("INVALID_QUANTITY", e -> data(e).put("quantity", "-0.5")),
                broken("INVALID_QUANTITY", e -> data(e).put("quantity", "1e3")),
                broken("INVALID_QUANTITY", e -> data(e).put("quantity", new BigDecimal("1E+400"))),
                broken("INVALID_QUANTITY", e -> data(e).put("quantity", new BigDecimal("1E+19"))),
                broken("INVALID_QUANTITY", e -> data(e).put("quantity", "1234567890123456789")),
                broken("INVALID_QUANTITY", e -> data(e).put("quantity", "0.0000000001")),
                broken("INVALID_QUANTITY", e -> data(e).put("quantity", true)),
                broken("INVALID_QUANTITY", e -> data(e).remove("quantity")),
                broken("INVALID_ACCELERATOR", e -> data(e).put("accelerator", "TPUV5")),
                broken("INVALID_OPERATION", e -> data(e).put("operation", "o".repeat(65))),
                broken("INVALID_MINER_ID", e -> data(e).put("minerId", "miner/1")),
                broken("INVALID_METADATA", e -> data(e).putObject("metadata").put("k", 1)),
                broken("INVALID_METADATA", e -> {
                    ObjectNode metadata = data(e).putObject("metadata");
                    for (int i = 0; i < 21; i++) {
                        metadata.put("k" + i, "v");
                    }
                }));
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenEvents")
    void read_whenRuleBroken_refusesWithReason(String code, Consumer<ObjectNode> change) {
        ObjectNode event = valid();
        change.accept(event);
        CloudEventReader.Element element = reader.read(event.toString()).get(0);
        String actual = element.accepted()
                ? assertThrows(InvalidEventException.class, () -> decoder.decode(element.event())).rejection().code()
                : element.rejection().code();
        assertEquals(code, actual);
    }

    @Test
    void decode_whenValid_keepsExactQuantityAndUtcTime() {
        ObjectNode event = valid();
        data(event).put("quantity", new BigDecimal("0.123456789"));
        data(event).put("accelerator", "CUDA").put("minerId", "miner-7").put("operation", "matmul");
        UsageEvent usage = decoder.decode(reader.read(event.toString()).get(0).event());
        assertEquals(new BigDecimal("0.123456789"), usage.quantity());
        assertEquals(Instant.parse("2026-11-22T08:00:00Z"), usage.time());
        assertEquals("miner-7", usage.minerId());
        assertEquals(Instant.parse("2026-11-22T08:00:00Z"), usage.minuteKey().windowStart());
    }

    @Test
    void decode_whenQuantityIsANumberWithManyDigits_neverGoesThroughBinaryFloatingPoint() {
        String json = valid().toString().replace("\"12.5\"", "0.100000001");
        UsageEvent usage = decoder.decode(reader.read(json).get(0).event());
        assertEquals("0.100000001", usage.quantity().toPlainString());
    }

    @Test
    void read_whenArrayMixesGoodAndBad_judgesEachElement() {
        String json = "[" + valid() + ",42," + valid().put("id", "") + "]";
        List<CloudEventReader.Element> elements = reader.read(json);
        assertEquals(3, elements.size());
        assertNull(elements.get(0).rejection());
        assertEquals("NOT_AN_EVENT", elements.get(1).rejection().code());
        assertEquals("INVALID_ID", elements.get(2).rejection().code());
    }

    @Test
    void read_whenArrayHoldsMoreThan500Events_refusesTheRecord() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            json.append(i == 0 ? "" : ",").append(valid().put("id", "e" + i));
        }
        List<CloudEventReader.Element> elements = reader.read(json.append("]").toString());
        assertEquals("TOO_MANY_EVENTS", elements.get(0).rejection().code());
    }

    @Test
    void read_whenDuplicateJsonKeys_refusesAsMalformed() {
        String json = "{\"id\":\"a\",\"id\":\"b\"}";
        assertEquals("MALFORMED_JSON", reader.read(json).get(0).rejection().code());
    }

    @Test
    void timePolicy_acceptsUpToFiveMinutesAheadAnd35DaysBack() {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        EventTimePolicy policy = EventTimePolicy.defaults(Clock.fixed(now, ZoneOffset.UTC));
        policy.check(now.plusSeconds(300));
        policy.check(now.minus(java.time.Duration.ofDays(35)));
        assertEquals("IN_FUTURE", assertThrows(InvalidEventException.class,
                () -> policy.check(now.plusSeconds(301))).rejection().code());
        assertEquals("TOO_LATE", assertThrows(InvalidEventException.class,
                () -> policy.check(now.minus(java.time.Duration.ofDays(35)).minusSeconds(1))).rejection().code());
    }

    @Test
    void granularity_windowsAlignOnUtcBoundaries() {
        Instant t = Instant.parse("2026-02-28T23:59:59Z");
        assertEquals(Instant.parse("2026-02-28T23:59:00Z"), Granularity.MINUTE.windowStart(t));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), Granularity.MONTH.windowStart(t));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), Granularity.MONTH.next(Granularity.MONTH.windowStart(t)));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), Granularity.DAY.next(Granularity.DAY.windowStart(t)));
    }
}

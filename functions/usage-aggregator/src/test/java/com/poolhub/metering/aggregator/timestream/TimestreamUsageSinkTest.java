package com.poolhub.metering.aggregator.timestream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;

/**
 * The Timestream sink against moto's Timestream Write (a database and table of the test's own),
 * through a recording pass-through that shows the requests the sink sent. moto accepts every record
 * and never fails, so the rejected-records case answers from the pass-through itself, and server
 * errors are injected there before the request reaches moto.
 */
class TimestreamUsageSinkTest {
    private static final String TABLE = "usage";
    private String database;
    private RecordingHttpEndpoint endpoint;
    private TimestreamUsageSink sink;

    @BeforeEach
    void start() {
        database = "poolhub-" + UUID.randomUUID().toString().substring(0, 8);
        try (TimestreamWriteClient admin = LocalAws.timestreamWrite()) {
            admin.createDatabase(d -> d.databaseName(database));
            admin.createTable(t -> t.databaseName(database).tableName(TABLE));
        }
        endpoint = RecordingHttpEndpoint.forwardingTo(LocalAws.motoEndpoint());
        sink = new TimestreamUsageSink(TimestreamClients.write(Optional.of(endpoint.endpoint())), database, TABLE);
    }

    @AfterEach
    void stop() {
        endpoint.close();
        try (TimestreamWriteClient admin = LocalAws.timestreamWrite()) {
            admin.deleteTable(t -> t.databaseName(database).tableName(TABLE));
            admin.deleteDatabase(d -> d.databaseName(database));
        }
    }

    private static List<VersionedWindow> windows(int n) {
        List<VersionedWindow> windows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            windows.add(new VersionedWindow(new UsageKey("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Granularity.HOUR,
                    Instant.parse("2026-11-22T00:00:00Z").plusSeconds(3600L * i)), new UsageTotals(new BigDecimal("12.5"), 3), 40 + i));
        }
        return windows;
    }

    private static JsonNode body(RecordingHttpEndpoint.Request request) {
        try {
            return Json.parse(request.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void write_150Windows_sendsMultiMeasureRecordsAtMost100ACall() {
        UsageMetricsSink.Result result = sink.write(windows(150));

        assertEquals(150, result.accepted());
        List<RecordingHttpEndpoint.Request> requests = endpoint.requests();
        assertEquals(2, requests.size());
        assertEquals("Timestream_20181101.WriteRecords", requests.get(0).header("X-Amz-Target"));
        JsonNode first = body(requests.get(0));
        assertEquals(database, first.get("DatabaseName").asText());
        assertEquals("usage", first.get("TableName").asText());
        assertEquals(100, first.get("Records").size());
        assertEquals(50, body(requests.get(1)).get("Records").size());
        JsonNode record = first.get("Records").get(1);
        assertEquals("MULTI", record.get("MeasureValueType").asText());
        assertEquals("usage", record.get("MeasureName").asText());
        assertEquals(Long.toString(Instant.parse("2026-11-22T01:00:00Z").toEpochMilli()), record.get("Time").asText());
        assertEquals("MILLISECONDS", record.get("TimeUnit").asText());
        assertEquals(41, record.get("Version").asLong());
        assertEquals("12.5", record.get("MeasureValues").get(0).get("Value").asText());
        assertEquals("DOUBLE", record.get("MeasureValues").get(0).get("Type").asText());
        assertEquals("3", record.get("MeasureValues").get(1).get("Value").asText());
        List<String> dimensions = new ArrayList<>();
        record.get("Dimensions").forEach(d -> dimensions.add(d.get("Name").asText() + "=" + d.get("Value").asText()));
        assertEquals(List.of("tenant=acme", "resource=GPU", "unit=compute_seconds", "granularity=HOUR"), dimensions);
    }

    @Test
    void write_toATableTheServiceDoesNotHave_fails() {
        TimestreamUsageSink missing = new TimestreamUsageSink(TimestreamClients.write(Optional.of(endpoint.endpoint())),
                database, "missing");

        assertThrows(SdkException.class, () -> missing.write(windows(1)));
    }

    @Test
    void write_whenRecordsAreRejected_returnsThemWithTheReason() {
        endpoint.respondWith(request -> RecordingHttpEndpoint.Response.json(419, """
                {"__type":"RejectedRecordsException","message":"One or more records have been rejected.",
                 "RejectedRecords":[{"RecordIndex":2,"Reason":"A record with a higher version already exists.","ExistingVersion":99}]}"""));

        UsageMetricsSink.Result result = sink.write(windows(5));

        assertEquals(4, result.accepted());
        assertEquals(1, result.refused().size());
        assertEquals(windows(5).get(2), result.refused().get(0).window());
        assertTrue(result.refused().get(0).reason().contains("higher version"));
        assertTrue(result.refused().get(0).reason().contains("99"));
        assertEquals(1, endpoint.requests().size());
    }

    @Test
    void write_afterAPassingServerError_retriesAndSucceeds() {
        endpoint.inject(new RecordingHttpEndpoint.Fault.Status(500, "{\"__type\":\"InternalServerException\",\"message\":\"try again\"}"));

        UsageMetricsSink.Result result = sink.write(windows(3));

        assertEquals(3, result.accepted());
        assertEquals(2, endpoint.requests().size());
    }

    @Test
    void write_whenTheServiceKeepsFailing_givesUpAfterBoundedRetries() {
        for (int i = 0; i < 6; i++) {
            endpoint.inject(new RecordingHttpEndpoint.Fault.Status(500, "{\"__type\":\"InternalServerException\",\"message\":\"down\"}"));
        }

        assertThrows(SdkException.class, () -> sink.write(windows(3)));
        assertEquals(3, endpoint.requests().size());
    }
}

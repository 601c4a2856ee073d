package com.poolhub.metering.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.UsageAggregation;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageEventDecoder;
import com.poolhub.metering.usage.UsageKey;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Priming runs the hot path and never writes: stores and routes that would change data are not touched. */
class SnapStartPrimingTest {
    private final AtomicBoolean touched = new AtomicBoolean();

    private IngestPipeline<UsageEvent, UsageKey> pipeline() {
        ExactlyOnceStore<UsageEvent, UsageKey> store = byKey -> {
            touched.set(true);
            throw new AssertionError("priming wrote aggregates");
        };
        RejectStore rejects = new RejectStore() {
            @Override
            public List<RejectedRecord> save(List<RejectedRecord> items) {
                touched.set(true);
                throw new AssertionError("priming wrote rejects");
            }

            @Override
            public Page list(String stream, LocalDate day, int limit, String nextToken) {
                throw new AssertionError();
            }

            @Override
            public void resolve(RejectedRecord reject, Instant resolvedAt) {
                throw new AssertionError();
            }
        };
        return new IngestPipeline<>("usage-events", new UsageEventDecoder(), EventTimePolicy.defaults(Clock.systemUTC()),
                new UsageAggregation(), store, rejects);
    }

    @Test
    void ingestPriming_readsAndFoldsTheSampleWithoutWriting() {
        String template = UsageEventJson.gpuSeconds("priming", "priming", "1.5", Instant.EPOCH).toString()
                .replace(Instant.EPOCH.toString(), "%s");
        IngestPipeline<UsageEvent, UsageKey> pipeline = pipeline();

        assertEquals(1, pipeline.dryRun(List.of(SnapStartPriming.sampleRecord(template))));
        SnapStartPriming.ingest("test", pipeline, template).prime();

        assertFalse(touched.get());
    }

    @Test
    void apiPriming_routesToNoRouteOnly() {
        ApiRouter router = new ApiRouter().get("/quota/{tenant}", request -> {
            touched.set(true);
            return ApiResponse.ok(null);
        });

        SnapStartPriming.api("test", router).prime();

        assertFalse(touched.get());
    }
}

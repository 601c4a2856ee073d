package com.poolhub.metering.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.StreamRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: a CRaC {@link Resource} whose {@code beforeCheckpoint} runs a function's hot path
 * once, without side effects (no request leaves the process), so the snapshot holds loaded and
 * initialised classes. A handler keeps the returned resource in a field: CRaC holds resources weakly.
 * Outside SnapStart (or any CRaC runtime) registering does nothing and the primer never runs.
 */
public final class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    private final String name;
    private final Runnable primer;

    private SnapStartPriming(String name, Runnable primer) {
        this.name = name;
        this.primer = primer;
    }

    /** Registers a primer with the global CRaC context; keep the result in a field of the handler. */
    public static SnapStartPriming register(String name, Runnable primer) {
        SnapStartPriming priming = new SnapStartPriming(name, primer);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** Primes a Kinesis ingest function: one sample record read, validated and folded, nothing written. */
    public static SnapStartPriming ingest(String name, IngestPipeline<?, ?> pipeline, String sampleEventTemplate) {
        return register(name, () -> pipeline.dryRun(List.of(sampleRecord(sampleEventTemplate))));
    }

    /** Primes an API function: a request routed to no route (404), which touches no data. */
    public static SnapStartPriming api(String name, ApiRouter router) {
        return register(name, () -> {
            APIGatewayProxyRequestEvent request = new APIGatewayProxyRequestEvent().withHttpMethod("GET")
                    .withPath("/priming/none").withHeaders(Map.of("Accept", "application/json"));
            APIGatewayProxyResponseEvent response = router.handle(request);
            LOG.debug("primed {}: {}", name, response.getStatusCode());
        });
    }

    /** A record whose data is the template with {@code %s} replaced by the current time. */
    static StreamRecord sampleRecord(String template) {
        String json = String.format(template, Instant.now());
        return new StreamRecord("shardId-000000000000", "1", "priming", Instant.now(),
                ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs the primer now (also what {@code beforeCheckpoint} does); never throws. */
    public void prime() {
        try {
            primer.run();
        } catch (RuntimeException e) {
            LOG.warn("priming {} failed: {}", name, e.getClass().getSimpleName());
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // clients are built once and reconnect on demand; nothing to refresh
    }
}

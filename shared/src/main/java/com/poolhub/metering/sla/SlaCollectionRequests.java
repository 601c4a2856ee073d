package com.poolhub.metering.sla;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collections on request: the API records a {@code REQUESTED} item and publishes
 * {@code SlaCollectionRequested}; the collector, on that event, claims the item ({@code RUNNING}
 * with a lease, by a conditional update), runs the collection over the recorded window and marks it
 * {@code SUCCEEDED} with the counts or {@code FAILED} with the reason. A redelivered event finds the
 * item claimed or finished and runs nothing; a claim whose lease lapsed (its run crashed) is taken
 * over by the next delivery.
 */
public final class SlaCollectionRequests {
    public static final String REQUESTED_EVENT = "SlaCollectionRequested";
    /** The claim's lease: the longest a Lambda invocation can run. */
    public static final Duration LEASE = Duration.ofMinutes(15);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Logger LOG = LoggerFactory.getLogger(SlaCollectionRequests.class);

    private final SlaRepository repository;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration lease;

    public SlaCollectionRequests(SlaRepository repository, EventPublisher publisher, Clock clock, Duration lease) {
        this.repository = repository;
        this.publisher = publisher;
        this.clock = clock;
        this.lease = lease;
    }

    /** Whether {@code id} has the shape of a collection id (a lower-case UUID). */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Records a request for a collection over {@code window} and publishes its event. When the event
     * cannot be published the request is marked {@code FAILED} and the failure thrown.
     */
    public CollectionRequest request(SlaWindow window, String requestedBy) {
        return request(newId(), window, requestedBy);
    }

    /** A fresh collection id, for a caller that must name the collection before requesting it (its audit record). */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Records and announces the collection with this id ({@link #newId()}), as {@link #request(SlaWindow, String)}. */
    public CollectionRequest request(String id, SlaWindow window, String requestedBy) {
        CollectionRequest request = CollectionRequest.requested(id, window, clock.instant(), requestedBy);
        repository.saveCollectionRequest(request);
        try {
            publisher.publish(List.of(new DomainEvent(REQUESTED_EVENT, detail(request), request.requestedAt())));
        } catch (PublishException e) {
            repository.finishCollectionRequest(request.id(), 0, CollectionStatus.FAILED, null,
                    "the " + REQUESTED_EVENT + " event could not be published", clock.instant());
            throw e;
        }
        return request;
    }

    public Optional<CollectionRequest> find(String id) {
        return repository.collectionRequest(id);
    }

    /**
     * Runs the requested collection unless it is finished or claimed under a lease that still holds;
     * answers the request as it stands afterwards (empty when no such request is stored). A failed
     * collection is marked {@code FAILED} and its failure rethrown.
     */
    public Optional<CollectionRequest> run(String id, Function<SlaWindow, CollectionResult> collection) {
        Optional<CollectionRequest> stored = repository.collectionRequest(id);
        if (stored.isEmpty()) {
            LOG.warn("collection request {} is not stored; nothing to run", id);
            return stored;
        }
        Instant now = clock.instant();
        OptionalInt attempt = repository.claimCollectionRequest(id, now, now.plus(lease));
        if (attempt.isEmpty()) {
            LOG.info("collection request {} is {}; not run again", id, stored.get().status());
            return repository.collectionRequest(id);
        }
        try {
            CollectionResult result = collection.apply(stored.get().window());
            finish(id, attempt.getAsInt(), CollectionStatus.SUCCEEDED, SlaJson.collection(result), null);
        } catch (RuntimeException e) {
            finish(id, attempt.getAsInt(), CollectionStatus.FAILED, null, reason(e));
            throw e;
        }
        return repository.collectionRequest(id);
    }

    private void finish(String id, int attempt, CollectionStatus status, ObjectNode result, String reason) {
        if (!repository.finishCollectionRequest(id, attempt, status, result, reason, clock.instant())) {
            LOG.warn("collection request {}: claim {} lapsed and was taken over; its outcome {} is not recorded",
                    id, attempt, status);
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The event's detail: the id to claim and the window it covers. */
    public static ObjectNode detail(CollectionRequest request) {
        ObjectNode detail = Json.object();
        detail.put("collectionId", request.id());
        detail.put("windowStart", UtcTimes.format(request.window().start()));
        detail.put("windowEnd", UtcTimes.format(request.window().end()));
        detail.put("requestedAt", UtcTimes.format(request.requestedAt()));
        return detail;
    }
}

package com.poolhub.metering.aws;

import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link EventPublisher} on EventBridge: PutEvents with at most 10 entries a call; entries the
 * response marks failed with a retryable code (and whole calls that fail retryably, by
 * {@link RetryPolicy}) are retried with backoff. A failure that cannot succeed stops at once; what is
 * still unpublished is thrown back in a {@link PublishException} carrying the last cause.
 */
public final class EventBridgePublisher implements EventPublisher {
    public static final String SOURCE = "poolhub";
    static final int MAX_ENTRIES_PER_CALL = 10;
    private static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgePublisher.class);

    private final EventBridgeClient eventBridge;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient eventBridge, String busName) {
        this.eventBridge = eventBridge;
        this.busName = busName;
    }

    @Override
    public void publish(List<DomainEvent> events) {
        List<DomainEvent> unpublished = new ArrayList<>();
        RuntimeException cause = null;
        for (int from = 0; from < events.size(); from += MAX_ENTRIES_PER_CALL) {
            Chunk chunk = publishChunk(events.subList(from, Math.min(events.size(), from + MAX_ENTRIES_PER_CALL)));
            unpublished.addAll(chunk.unpublished());
            cause = chunk.cause() != null ? chunk.cause() : cause;
        }
        if (!unpublished.isEmpty()) {
            String message = unpublished.size() + " of " + events.size() + " events could not be published to " + busName;
            LOG.warn("{}: {}", message, cause == null ? "entries refused" : cause.toString());
            throw new PublishException(message, unpublished, cause);
        }
    }

    /** What one chunk left unpublished, and the last failure of its calls. */
    private record Chunk(List<DomainEvent> unpublished, RuntimeException cause) {
    }

    private Chunk publishChunk(List<DomainEvent> chunk) {
        List<DomainEvent> pending = new ArrayList<>(chunk);
        List<DomainEvent> refused = new ArrayList<>();
        RuntimeException cause = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                RetryPolicy.SERVICE_CALLS.sleep(attempt);
            }
            try {
                PutEventsResponse response = eventBridge.putEvents(PutEventsRequest.builder()
                        .entries(pending.stream().map(this::entry).toList()).build());
                cause = null;
                if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
                    pending = List.of();
                    break;
                }
                List<DomainEvent> failed = new ArrayList<>();
                List<PutEventsResultEntry> results = response.entries();
                for (int i = 0; i < pending.size(); i++) {
                    if (i >= results.size()) {
                        failed.add(pending.get(i));
                    } else if (results.get(i).errorCode() != null) {
                        (RetryPolicy.retryableCode(results.get(i).errorCode()) ? failed : refused).add(pending.get(i));
                    }
                }
                pending = failed;
            } catch (SdkException e) {
                cause = e;
                if (!RetryPolicy.retryable(e)) {
                    break;
                }
            }
        }
        refused.addAll(pending);
        return new Chunk(refused, cause);
    }

    private PutEventsRequestEntry entry(DomainEvent event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(event.detailType())
                .detail(event.detail().toString())
                .time(event.time())
                .build();
    }
}

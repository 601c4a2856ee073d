package com.poolhub.metering.aws;

import com.poolhub.metering.aws.dynamodb.Backoff;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link EventPublisher} on EventBridge: PutEvents with at most 10 entries a call; entries the
 * response marks failed (and whole calls that fail) are retried with backoff, and what is still
 * unpublished after the last attempt is thrown back in a {@link PublishException}.
 */
public final class EventBridgePublisher implements EventPublisher {
    public static final String SOURCE = "poolhub";
    static final int MAX_ENTRIES_PER_CALL = 10;
    private static final int MAX_ATTEMPTS = 5;

    private final EventBridgeClient eventBridge;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient eventBridge, String busName) {
        this.eventBridge = eventBridge;
        this.busName = busName;
    }

    @Override
    public void publish(List<DomainEvent> events) {
        List<DomainEvent> unpublished = new ArrayList<>();
        for (int from = 0; from < events.size(); from += MAX_ENTRIES_PER_CALL) {
            unpublished.addAll(publishChunk(events.subList(from, Math.min(events.size(), from + MAX_ENTRIES_PER_CALL))));
        }
        if (!unpublished.isEmpty()) {
            throw new PublishException(unpublished.size() + " of " + events.size()
                    + " events could not be published to " + busName, unpublished);
        }
    }

    private List<DomainEvent> publishChunk(List<DomainEvent> chunk) {
        List<DomainEvent> pending = new ArrayList<>(chunk);
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                Backoff.sleep(attempt);
            }
            try {
                PutEventsResponse response = eventBridge.putEvents(PutEventsRequest.builder()
                        .entries(pending.stream().map(this::entry).toList()).build());
                if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
                    return List.of();
                }
                List<DomainEvent> failed = new ArrayList<>();
                List<PutEventsResultEntry> results = response.entries();
                for (int i = 0; i < pending.size(); i++) {
                    if (i >= results.size() || results.get(i).errorCode() != null) {
                        failed.add(pending.get(i));
                    }
                }
                pending = failed;
            } catch (SdkException e) {
                // the whole call failed: retry all of it
            }
        }
        return pending;
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

package com.poolhub.metering.events;

import java.util.List;

/** Some events could not be published after the retries; they are listed so the caller can act. */
public final class PublishException extends RuntimeException {
    private final transient List<DomainEvent> unpublished;

    public PublishException(String message, List<DomainEvent> unpublished) {
        super(message);
        this.unpublished = List.copyOf(unpublished);
    }

    public List<DomainEvent> unpublished() {
        return unpublished;
    }
}

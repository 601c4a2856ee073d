package com.poolhub.metering.events;

import java.util.List;

/** Some events could not be published after the retries; they are listed so the caller can act. */
public final class PublishException extends RuntimeException {
    private final transient List<DomainEvent> unpublished;

    public PublishException(String message, List<DomainEvent> unpublished) {
        this(message, unpublished, null);
    }

    /** With the last failure of the calls (null when the entries were refused one by one). */
    public PublishException(String message, List<DomainEvent> unpublished, Throwable cause) {
        super(message, cause);
        this.unpublished = List.copyOf(unpublished);
    }

    public List<DomainEvent> unpublished() {
        return unpublished;
    }
}

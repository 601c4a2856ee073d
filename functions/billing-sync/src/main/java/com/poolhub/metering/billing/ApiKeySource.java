package com.poolhub.metering.billing;

/** The coordinator API key, kept out of configuration. */
public interface ApiKeySource {
    /** The current key (fetched on first use, then cached). */
    String apiKey();

    /** Forgets the cached key, so the next call fetches it again (after a 401, e.g. on rotation). */
    void invalidate();
}

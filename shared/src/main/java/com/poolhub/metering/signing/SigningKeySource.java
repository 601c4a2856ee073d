package com.poolhub.metering.signing;

/** Where the producers' signing keys are kept (encrypted at rest); read by ingest, written by the admin routes. */
public interface SigningKeySource {
    /**
     * The producer's keys ({@link ProducerKeys#none} when it has none); throws
     * {@link KeyStoreUnavailableException} when the store cannot be reached.
     */
    ProducerKeys load(String producerId);
}

package com.poolhub.metering.signing;

/** The producers' signing keys as the admin routes manage them: read, and written whole per producer. */
public interface ProducerKeyStore extends SigningKeySource {
    /** Writes a producer's keys; throws {@link KeyStoreUnavailableException} when the store cannot be reached. */
    void save(ProducerKeys keys);
}

package com.poolhub.metering.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.event.Rejection;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the signature of each event of a stream against the producers' keys: an event whose
 * signature does not hold is refused ({@code SIGNATURE_INVALID}, {@code SIGNATURE_UNKNOWN_KEY},
 * {@code SIGNATURE_KEY_REVOKED}, {@code SIGNATURE_MALFORMED}); an unsigned one is refused
 * ({@code SIGNATURE_MISSING}) only when the stream requires signatures, or its subject (tenant) does.
 */
public final class SignatureCheck {
    private final SigningKeyCache keys;
    private final boolean required;
    private final Set<String> requiredSubjects;

    /** A check where the stream requires signatures of every event, or of none. */
    public SignatureCheck(SigningKeyCache keys, boolean required) {
        this(keys, required, Set.of());
    }

    /** @param requiredSubjects subjects (tenants) whose events must be signed even where the stream does not require it */
    public SignatureCheck(SigningKeyCache keys, boolean required, Set<String> requiredSubjects) {
        this.keys = keys;
        this.required = required;
        this.requiredSubjects = Set.copyOf(requiredSubjects);
    }

    /**
     * Why the event is refused, or empty when its signature holds (or it is unsigned where that is
     * allowed); throws {@link KeyStoreUnavailableException} when the keys cannot be read now.
     */
    public Optional<Rejection> check(JsonNode event) {
        JsonNode keyId = event.get(EventSignature.KEY_ID);
        JsonNode sig = event.get(EventSignature.SIG);
        if (keyId == null && sig == null) {
            return mustSign(event) ? reject("SIGNATURE_MISSING", "the stream requires signed events; sigkeyid and sig are missing")
                    : Optional.empty();
        }
        if (keyId == null || sig == null || !keyId.isTextual() || !sig.isTextual()) {
            return reject("SIGNATURE_MALFORMED", "sigkeyid and sig must both be strings");
        }
        String producer = SigningKey.producerOf(keyId.textValue());
        if (producer == null) {
            return reject("SIGNATURE_UNKNOWN_KEY", "sigkeyid is not a key id");
        }
        ProducerKeys known = keys.keys(producer);
        Optional<SigningKey> key = known.key(keyId.textValue());
        if (key.isEmpty()) {
            return known.revoked().contains(keyId.textValue())
                    ? reject("SIGNATURE_KEY_REVOKED", "key " + keyId.textValue() + " is revoked")
                    : reject("SIGNATURE_UNKNOWN_KEY", "no active key " + keyId.textValue());
        }
        return EventSignature.verify(event, sig.textValue(), key.get().secret()) ? Optional.empty()
                : reject("SIGNATURE_INVALID", "the signature does not match the event for key " + keyId.textValue());
    }

    private boolean mustSign(JsonNode event) {
        JsonNode subject = event.get("subject");
        return required || subject != null && subject.isTextual() && requiredSubjects.contains(subject.textValue());
    }

    public boolean required() {
        return required;
    }

    private static Optional<Rejection> reject(String code, String message) {
        return Optional.of(Rejection.of(code, message));
    }
}

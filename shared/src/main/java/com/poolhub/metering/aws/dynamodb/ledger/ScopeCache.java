package com.poolhub.metering.aws.dynamodb.ledger;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this container has already read of each scope's ledger: the pages it knows (1 to
 * {@link View#pages()}) and their fingerprints. Pages never change once written, so what is cached
 * stays true; a writer only reads the pages after it. Scopes are evicted least recently used when the
 * fingerprints held pass a bound, and are simply read again when next needed.
 */
final class ScopeCache {
    private final long maxFingerprints;
    private final LinkedHashMap<String, View> views = new LinkedHashMap<>(64, 0.75f, true);

    ScopeCache(long maxFingerprints) {
        this.maxFingerprints = maxFingerprints;
    }

    /** The known pages of one scope and their fingerprints; guard changes with the view's monitor. */
    static final class View {
        private int pages;
        private final FingerprintSet fingerprints = new FingerprintSet();

        int pages() {
            return pages;
        }

        boolean counted(long fingerprint) {
            return fingerprints.contains(fingerprint);
        }

        int size() {
            return fingerprints.size();
        }

        /** Records page {@code page} (the one after the last known) with its fingerprints. */
        void addPage(int page, java.nio.ByteBuffer packed) {
            if (page != pages + 1) {
                throw new IllegalStateException("page " + page + " does not follow page " + pages);
            }
            fingerprints.addAll(packed);
            pages = page;
        }
    }

    synchronized View view(String scope) {
        return views.computeIfAbsent(scope, s -> new View());
    }

    /** Accounts for a view's growth and evicts the least recently used scopes past the bound. */
    synchronized void settle() {
        long held = 0;
        for (View view : views.values()) {
            held += view.size();
        }
        Iterator<Map.Entry<String, View>> eldest = views.entrySet().iterator();
        while (held > maxFingerprints && views.size() > 1 && eldest.hasNext()) {
            held -= eldest.next().getValue().size();
            eldest.remove();
        }
    }
}

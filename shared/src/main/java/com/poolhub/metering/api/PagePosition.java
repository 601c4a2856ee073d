package com.poolhub.metering.api;

/**
 * Checks a store makes before resuming a query at a page position from a token: the position's sort
 * key must lie inside the key range the query reads, or the query would fail or read past its range.
 * A position outside is {@link OutsideQuery}, which the {@link ApiRouter} answers with a 400.
 */
public final class PagePosition {
    private PagePosition() {
    }

    /** A page position that does not lie inside the query it would resume. */
    public static final class OutsideQuery extends IllegalArgumentException {
        public OutsideQuery(String message) {
            super(message);
        }
    }

    /**
     * {@code key} when it lies in {@code [lowest, highest]} (string order, as DynamoDB compares sort
     * keys; a null bound is open).
     */
    public static String within(String key, String lowest, String highest) {
        if (key == null || key.isEmpty()) {
            throw new OutsideQuery("page position without a sort key");
        }
        if (lowest != null && key.compareTo(lowest) < 0 || highest != null && key.compareTo(highest) > 0) {
            throw new OutsideQuery("page position " + key + " lies outside [" + lowest + ", " + highest + "]");
        }
        return key;
    }

    /** {@code actual} when it equals what the query's key schema requires there. */
    public static String matching(String actual, String required) {
        if (!required.equals(actual)) {
            throw new OutsideQuery("page position key " + actual + " is not " + required);
        }
        return actual;
    }
}

package com.poolhub.metering.aws.dynamodb.ledger;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable set of 64-bit event fingerprints in one open-addressed {@code long[]} (about 11 bytes a
 * fingerprint at its load factor, no boxing). Not thread-safe.
 */
final class FingerprintSet {
    private static final long EMPTY = 0L;
    private static final double MAX_LOAD = 0.7;

    private long[] slots;
    private int size;
    private boolean holdsZero;

    FingerprintSet() {
        this(16);
    }

    FingerprintSet(int expected) {
        slots = new long[capacityFor(expected)];
    }

    private static int capacityFor(int expected) {
        int capacity = Integer.highestOneBit((int) Math.max(16, Math.min(1 << 30, expected / MAX_LOAD)) - 1) << 1;
        return Math.max(16, capacity);
    }

    int size() {
        return size;
    }

    boolean contains(long fingerprint) {
        if (fingerprint == EMPTY) {
            return holdsZero;
        }
        int mask = slots.length - 1;
        for (int i = mix(fingerprint) & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == fingerprint) {
                return true;
            }
            if (slot == EMPTY) {
                return false;
            }
        }
    }

    /** Adds the fingerprint; false when it was already there. */
    boolean add(long fingerprint) {
        if (fingerprint == EMPTY) {
            boolean added = !holdsZero;
            holdsZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if (size + 1 > slots.length * MAX_LOAD) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = mix(fingerprint) & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == fingerprint) {
                return false;
            }
            if (slot == EMPTY) {
                slots[i] = fingerprint;
                size++;
                return true;
            }
        }
    }

    /** Adds the fingerprints stored as big-endian 8-byte values. */
    void addAll(ByteBuffer packed) {
        ByteBuffer buffer = packed.duplicate();
        while (buffer.remaining() >= Long.BYTES) {
            add(buffer.getLong());
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length << 1];
        size = holdsZero ? 1 : 0;
        for (long value : old) {
            if (value != EMPTY) {
                add(value);
            }
        }
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Packs sorted fingerprints as big-endian 8-byte values. */
    static byte[] pack(long[] fingerprints) {
        long[] sorted = fingerprints.clone();
        Arrays.sort(sorted);
        ByteBuffer buffer = ByteBuffer.allocate(sorted.length * Long.BYTES);
        buffer.asLongBuffer().put(sorted);
        return buffer.array();
    }
}

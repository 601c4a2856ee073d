package com.poolhub.metering.aws.dynamodb;

import java.nio.ByteBuffer;
import java.util.Arrays;
import software.amazon.awssdk.core.SdkBytes;

/**
 * The set of event fingerprints an aggregate has counted, stored as one binary attribute of sorted
 * 8-byte values (8 bytes an event, no per-element overhead).
 */
final class Fingerprints {
    private final long[] sorted;

    private Fingerprints(long[] sorted) {
        this.sorted = sorted;
    }

    static Fingerprints empty() {
        return new Fingerprints(new long[0]);
    }

    static Fingerprints of(SdkBytes bytes) {
        if (bytes == null) {
            return empty();
        }
        ByteBuffer buffer = bytes.asByteBuffer();
        long[] values = new long[buffer.remaining() / Long.BYTES];
        buffer.asLongBuffer().get(values);
        return new Fingerprints(values);
    }

    boolean contains(long fingerprint) {
        return Arrays.binarySearch(sorted, fingerprint) >= 0;
    }

    int size() {
        return sorted.length;
    }

    /** This set with the given new fingerprints added. */
    Fingerprints plus(long[] added) {
        long[] merged = Arrays.copyOf(sorted, sorted.length + added.length);
        System.arraycopy(added, 0, merged, sorted.length, added.length);
        Arrays.sort(merged);
        return new Fingerprints(merged);
    }

    SdkBytes toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(sorted.length * Long.BYTES);
        buffer.asLongBuffer().put(sorted);
        return SdkBytes.fromByteArray(buffer.array());
    }
}

package com.poolhub.metering.aws.telemetry;

import com.poolhub.metering.telemetry.MinuteTally;
import com.poolhub.metering.telemetry.ResponseTimes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The binary form of a miner hour's per-minute tallies (attribute {@code mt}): a format byte
 * ({@value #FORMAT}), the number of minutes, then per minute: minute + 1, succeeded, failed, timed
 * out, response count, response sum (µs), the number of histogram entries and each entry's index
 * (zig-zag) and count, then 1 and the exact values, or 0 when they are not held. Every number is an
 * unsigned LEB128 varint, so a minute costs a few bytes plus about three per histogram entry.
 */
final class MinuteTallyCodec {
    static final byte FORMAT = 1;

    private MinuteTallyCodec() {
    }

    static byte[] encode(NavigableMap<Integer, MinuteTally> minutes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FORMAT);
        write(out, minutes.size());
        minutes.forEach((minute, tally) -> {
            write(out, minute + 1L);
            write(out, tally.succeeded());
            write(out, tally.failed());
            write(out, tally.timedOut());
            ResponseTimes responses = tally.responses();
            write(out, responses.count());
            write(out, responses.sumMicros());
            write(out, responses.histogram().size());
            responses.histogram().forEach((index, n) -> {
                write(out, Integer.toUnsignedLong((index << 1) ^ (index >> 31)));
                write(out, n);
            });
            long[] exact = responses.exactValues();
            out.write(exact == null ? 0 : 1);
            if (exact != null) {
                for (long value : exact) {
                    write(out, value);
                }
            }
        });
        return out.toByteArray();
    }

    static NavigableMap<Integer, MinuteTally> decode(ByteBuffer in) {
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown minute tally format " + format);
        }
        TreeMap<Integer, MinuteTally> minutes = new TreeMap<>();
        long size = read(in);
        for (long i = 0; i < size; i++) {
            int minute = Math.toIntExact(read(in) - 1);
            long succeeded = read(in);
            long failed = read(in);
            long timedOut = read(in);
            long count = read(in);
            long sum = read(in);
            long entries = read(in);
            Map<Integer, Long> histogram = new TreeMap<>();
            for (long e = 0; e < entries; e++) {
                int zigzag = (int) read(in);
                histogram.put((zigzag >>> 1) ^ -(zigzag & 1), read(in));
            }
            long[] exact = null;
            if (in.get() == 1) {
                exact = new long[Math.toIntExact(count)];
                for (int v = 0; v < exact.length; v++) {
                    exact[v] = read(in);
                }
            }
            ResponseTimes responses = count == 0 ? ResponseTimes.empty() : ResponseTimes.of(count, sum, histogram, exact);
            minutes.put(minute, new MinuteTally(responses, succeeded, failed, timedOut));
        }
        return minutes;
    }

    private static void write(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a tally holds no negative numbers");
        }
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    private static long read(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 64 bits");
    }
}

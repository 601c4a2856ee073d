package com.poolhub.metering.testing;

import com.poolhub.metering.event.KplAggregate;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs user records the way the Kinesis Producer Library aggregates them (magic bytes, protobuf
 * {@code AggregatedRecord}, MD5), for tests of deaggregation. Also writes the raw protobuf pieces, so
 * tests can build corrupt records on purpose.
 */
public final class KplRecords {
    private final Map<String, Integer> partitionKeys = new LinkedHashMap<>();
    private final List<byte[]> records = new ArrayList<>();

    public static KplRecords aggregate() {
        return new KplRecords();
    }

    /** Adds a user record with text data. */
    public KplRecords add(String partitionKey, String data) {
        return add(partitionKey, data.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a user record, with a tag as the KPL may write (ignored by readers). */
    public KplRecords add(String partitionKey, byte[] data) {
        int keyIndex = partitionKeys.computeIfAbsent(partitionKey, k -> partitionKeys.size());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        varintField(record, 1, keyIndex);
        bytesField(record, 3, data);
        ByteArrayOutputStream tag = new ByteArrayOutputStream();
        bytesField(tag, 1, "origin".getBytes(StandardCharsets.UTF_8));
        bytesField(record, 4, tag.toByteArray());
        records.add(record.toByteArray());
        return this;
    }

    /** The protobuf {@code AggregatedRecord} bytes alone. */
    public byte[] message() {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        partitionKeys.keySet().forEach(key -> bytesField(message, 1, key.getBytes(StandardCharsets.UTF_8)));
        records.forEach(record -> bytesField(message, 3, record));
        return message.toByteArray();
    }

    /** The complete aggregated record: magic, message, MD5 of the message. */
    public byte[] build() {
        return frame(message());
    }

    /** Frames any message bytes as an aggregated record with a correct checksum. */
    public static byte[] frame(byte[] message) {
        ByteBuffer md5 = KplAggregate.md5(ByteBuffer.wrap(message));
        ByteBuffer record = ByteBuffer.allocate(KplAggregate.MAGIC.length + message.length + 16);
        record.put(KplAggregate.MAGIC).put(message).put(md5);
        return record.array();
    }

    public static void varintField(ByteArrayOutputStream out, int field, long value) {
        varint(out, (long) field << 3);
        varint(out, value);
    }

    public static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
        varint(out, (long) field << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    public static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}

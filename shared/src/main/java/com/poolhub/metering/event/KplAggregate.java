package com.poolhub.metering.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes apart a record packed by the Kinesis Producer Library: the magic bytes {@code F3 89 9A C2},
 * a protobuf {@code AggregatedRecord} (1: partition key table, 2: explicit hash key table,
 * 3: records, each 1: partition key index, 2: explicit hash key index, 3: data, 4: tags), then the
 * 16-byte MD5 of the protobuf bytes. A record whose checksum does not match or whose protobuf is
 * malformed is refused as a whole with a reason, since retrying it can never succeed.
 */
public final class KplAggregate {
    /** The KPL aggregation magic bytes. */
    public static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int CHECKSUM_BYTES = 16;

    /** One user record inside an aggregated record, in packing order. */
    public record SubRecord(int index, String partitionKey, ByteBuffer data) {
    }

    private KplAggregate() {
    }

    /** Whether the record starts with the KPL magic bytes (plain JSON never does: F3 89 9A C2 is not UTF-8). */
    public static boolean isAggregated(ByteBuffer data) {
        if (data.remaining() < MAGIC.length) {
            return false;
        }
        int at = data.position();
        for (int i = 0; i < MAGIC.length; i++) {
            if (data.get(at + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The sub-records of an aggregated record.
     *
     * @throws InvalidEventException {@code KPL_CHECKSUM_MISMATCH} or {@code KPL_MALFORMED}, naming what is wrong
     */
    public static List<SubRecord> deaggregate(ByteBuffer data) {
        ByteBuffer record = data.slice();
        if (record.remaining() < MAGIC.length + CHECKSUM_BYTES || !isAggregated(record)) {
            throw malformed("an aggregated record needs the magic bytes, a protobuf message and a 16-byte MD5");
        }
        ByteBuffer message = record.slice(MAGIC.length, record.remaining() - MAGIC.length - CHECKSUM_BYTES);
        ByteBuffer checksum = record.slice(record.remaining() - CHECKSUM_BYTES, CHECKSUM_BYTES);
        if (!md5(message).equals(checksum)) {
            throw new InvalidEventException("KPL_CHECKSUM_MISMATCH",
                    "the MD5 at the end of the aggregated record does not match its protobuf bytes");
        }
        try {
            return parse(message);
        } catch (ProtobufReader.MalformedException e) {
            throw malformed("the aggregated record's protobuf is malformed: " + e.getMessage());
        }
    }

    private static List<SubRecord> parse(ByteBuffer message) throws ProtobufReader.MalformedException {
        List<String> partitionKeys = new ArrayList<>();
        List<RawRecord> raw = new ArrayList<>();
        ProtobufReader reader = new ProtobufReader(message);
        while (reader.hasMore()) {
            long tag = reader.readTag();
            int field = ProtobufReader.fieldNumber(tag);
            int wire = ProtobufReader.wireType(tag);
            if (field == 1 && wire == ProtobufReader.LENGTH_DELIMITED) {
                partitionKeys.add(utf8(reader.readBytes(), "partition key"));
            } else if (field == 2 && wire == ProtobufReader.LENGTH_DELIMITED) {
                utf8(reader.readBytes(), "explicit hash key");
            } else if (field == 3 && wire == ProtobufReader.LENGTH_DELIMITED) {
                raw.add(record(new ProtobufReader(reader.readBytes()), raw.size()));
            } else if (field <= 3) {
                throw new ProtobufReader.MalformedException("field " + field + " has wire type " + wire);
            } else {
                reader.skip(wire);
            }
        }
        if (raw.isEmpty()) {
            throw new ProtobufReader.MalformedException("it holds no records");
        }
        List<SubRecord> records = new ArrayList<>(raw.size());
        for (RawRecord r : raw) {
            if (Long.compareUnsigned(r.partitionKeyIndex(), partitionKeys.size()) >= 0) {
                throw new ProtobufReader.MalformedException("record " + r.index() + " names partition key "
                        + Long.toUnsignedString(r.partitionKeyIndex()) + " of " + partitionKeys.size());
            }
            records.add(new SubRecord(r.index(), partitionKeys.get((int) r.partitionKeyIndex()), r.data()));
        }
        return records;
    }

    private record RawRecord(int index, long partitionKeyIndex, ByteBuffer data) {
    }

    private static RawRecord record(ProtobufReader reader, int index) throws ProtobufReader.MalformedException {
        Long partitionKeyIndex = null;
        ByteBuffer data = null;
        while (reader.hasMore()) {
            long tag = reader.readTag();
            int field = ProtobufReader.fieldNumber(tag);
            int wire = ProtobufReader.wireType(tag);
            if (field == 1 && wire == ProtobufReader.VARINT) {
                partitionKeyIndex = reader.readVarint();
            } else if (field == 2 && wire == ProtobufReader.VARINT) {
                reader.readVarint();
            } else if ((field == 3 || field == 4) && wire == ProtobufReader.LENGTH_DELIMITED) {
                ByteBuffer bytes = reader.readBytes();
                if (field == 3) {
                    data = bytes;
                }
            } else if (field <= 4) {
                throw new ProtobufReader.MalformedException("record " + index + ": field " + field
                        + " has wire type " + wire);
            } else {
                reader.skip(wire);
            }
        }
        if (partitionKeyIndex == null) {
            throw new ProtobufReader.MalformedException("record " + index + " has no partition key index");
        }
        if (data == null) {
            throw new ProtobufReader.MalformedException("record " + index + " has no data");
        }
        return new RawRecord(index, partitionKeyIndex, data);
    }

    private static String utf8(ByteBuffer bytes, String what) throws ProtobufReader.MalformedException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ProtobufReader.MalformedException(what + " is not UTF-8");
        }
    }

    /** The MD5 digest of the bytes, as a buffer (compared by content). */
    public static ByteBuffer md5(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            digest.update(bytes.duplicate());
            return ByteBuffer.wrap(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides MD5", e);
        }
    }

    private static InvalidEventException malformed(String message) {
        return new InvalidEventException("KPL_MALFORMED", message);
    }
}

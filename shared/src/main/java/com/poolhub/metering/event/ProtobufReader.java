package com.poolhub.metering.event;

import java.nio.ByteBuffer;

/**
 * Reads the protocol buffers wire format from a byte buffer, field by field: just what is needed to
 * take apart a KPL aggregated record without a protobuf library. Every read checks its bounds and
 * throws {@link MalformedException} on truncated or impossible input; nothing is read past the end.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** The input does not follow the wire format. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    private final ByteBuffer in;

    /** Reads the remaining bytes of {@code in}; the buffer's position is not changed. */
    ProtobufReader(ByteBuffer in) {
        this.in = in.slice();
    }

    boolean hasMore() {
        return in.hasRemaining();
    }

    /** The next field's tag: {@code fieldNumber << 3 | wireType}. */
    long readTag() throws MalformedException {
        long tag = readVarint();
        if (tag >>> 3 == 0) {
            throw new MalformedException("field number 0 at byte " + in.position());
        }
        return tag;
    }

    static int fieldNumber(long tag) {
        return (int) Math.min(Integer.MAX_VALUE, tag >>> 3);
    }

    static int wireType(long tag) {
        return (int) (tag & 7);
    }

    /** An unsigned base-128 varint of at most 10 bytes. */
    long readVarint() throws MalformedException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) {
                throw new MalformedException("varint runs past the end");
            }
            byte b = in.get();
            if (shift == 63 && (b & 0x7E) != 0) {
                throw new MalformedException("varint overflows 64 bits");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedException("varint longer than 10 bytes");
    }

    /** A length-delimited field's bytes, as a view of the input. */
    ByteBuffer readBytes() throws MalformedException {
        long length = readVarint();
        if (length < 0 || length > in.remaining()) {
            throw new MalformedException("length " + Long.toUnsignedString(length) + " runs past the end ("
                    + in.remaining() + " bytes left)");
        }
        ByteBuffer bytes = in.slice();
        bytes.limit((int) length);
        in.position(in.position() + (int) length);
        return bytes;
    }

    /** Skips a field's value of the given wire type (groups are refused: no valid input here has them). */
    void skip(int wireType) throws MalformedException {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> readBytes();
            case FIXED32 -> advance(4);
            default -> throw new MalformedException("unsupported wire type " + wireType);
        }
    }

    private void advance(int bytes) throws MalformedException {
        if (in.remaining() < bytes) {
            throw new MalformedException("fixed-width field runs past the end");
        }
        in.position(in.position() + bytes);
    }
}

package com.poolhub.metering.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.testing.KplRecords;
import com.poolhub.metering.testing.UsageEventJson;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KPL aggregated records: taken apart exactly, corrupt ones refused with a reason, plain JSON untouched. */
class KplAggregateTest {
    private static final Instant T = Instant.parse("2026-11-22T11:00:00Z");
    private final CloudEventReader reader = new CloudEventReader();

    private static String event(String id) {
        return UsageEventJson.gpuSeconds(id, "acme", "1.5", T);
    }

    @Test
    void deaggregate_returnsEverySubRecordWithItsPartitionKeyInOrder() {
        byte[] record = KplRecords.aggregate().add("acme", "one").add("globex", "two").add("acme", "three").build();

        List<KplAggregate.SubRecord> subRecords = KplAggregate.deaggregate(ByteBuffer.wrap(record));

        assertEquals(3, subRecords.size());
        assertEquals(List.of("acme", "globex", "acme"), subRecords.stream().map(KplAggregate.SubRecord::partitionKey).toList());
        assertEquals(List.of("one", "two", "three"), subRecords.stream()
                .map(s -> StandardCharsets.UTF_8.decode(s.data()).toString()).toList());
        assertEquals(List.of(0, 1, 2), subRecords.stream().map(KplAggregate.SubRecord::index).toList());
    }

    @Test
    void isAggregated_plainJsonAndShortInput_areNotAggregated() {
        assertFalse(KplAggregate.isAggregated(ByteBuffer.wrap(event("a").getBytes(StandardCharsets.UTF_8))));
        assertFalse(KplAggregate.isAggregated(ByteBuffer.wrap(new byte[] {(byte) 0xF3, (byte) 0x89})));
        assertTrue(KplAggregate.isAggregated(ByteBuffer.wrap(KplRecords.aggregate().add("k", "x").build())));
    }

    @Test
    void read_whenRecordAggregatesSingleEventsAndArrays_yieldsEveryEventWithSubRecordIndex() {
        byte[] record = KplRecords.aggregate()
                .add("acme", event("e1"))
                .add("acme", "[" + event("e2") + "," + event("e3") + "]")
                .build();

        List<CloudEventReader.Element> elements = reader.read(ByteBuffer.wrap(record));

        assertEquals(3, elements.size());
        assertTrue(elements.stream().allMatch(CloudEventReader.Element::accepted));
        assertEquals(List.of("e1", "e2", "e3"), elements.stream().map(e -> e.event().id()).toList());
        assertEquals(List.of(0, 1, 1), elements.stream().map(CloudEventReader.Element::subRecord).toList());
        assertEquals(List.of(0, 0, 1), elements.stream().map(CloudEventReader.Element::index).toList());
    }

    @Test
    void read_whenOneSubRecordIsBad_rejectsOnlyItAndKeepsItsBytes() {
        byte[] record = KplRecords.aggregate().add("acme", event("e1")).add("acme", "{not json").add("acme", event("e3"))
                .build();

        List<CloudEventReader.Element> elements = reader.read(ByteBuffer.wrap(record));

        assertEquals(3, elements.size());
        CloudEventReader.Element bad = elements.get(1);
        assertEquals("MALFORMED_JSON", bad.rejection().code());
        assertEquals(1, bad.subRecord());
        assertEquals("{not json", StandardCharsets.UTF_8.decode(bad.input()).toString());
        assertTrue(elements.get(0).accepted() && elements.get(2).accepted());
    }

    @Test
    void read_whenChecksumDoesNotMatch_rejectsWholeRecordWithReason() {
        byte[] record = KplRecords.aggregate().add("acme", event("e1")).build();
        record[record.length - 1] ^= 1;

        List<CloudEventReader.Element> elements = reader.read(ByteBuffer.wrap(record));

        assertEquals(1, elements.size());
        assertEquals("KPL_CHECKSUM_MISMATCH", elements.get(0).rejection().code());
        assertEquals(CloudEventReader.NOT_AGGREGATED, elements.get(0).subRecord());
    }

    @Test
    void read_whenPayloadByteFlipped_checksumCatchesIt() {
        byte[] record = KplRecords.aggregate().add("acme", event("e1")).build();
        record[10] ^= 0x20;

        assertEquals("KPL_CHECKSUM_MISMATCH", reader.read(ByteBuffer.wrap(record)).get(0).rejection().code());
    }

    @Test
    void deaggregate_whenProtobufMalformed_refusesWithKplMalformed() {
        assertMalformed(new byte[] {0x1A, 0x7F, 0x01}, "runs past the end");
        assertMalformed(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, "varint");
        assertMalformed(new byte[0], "no records");
        assertMalformed(new byte[] {0x0B}, "wire type");
        ByteArrayOutputStream noKeyTable = new ByteArrayOutputStream();
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        KplRecords.varintField(inner, 1, 3);
        KplRecords.bytesField(inner, 3, "{}".getBytes(StandardCharsets.UTF_8));
        KplRecords.bytesField(noKeyTable, 3, inner.toByteArray());
        assertMalformed(noKeyTable.toByteArray(), "partition key 3 of 0");
        ByteArrayOutputStream noData = new ByteArrayOutputStream();
        ByteArrayOutputStream dataless = new ByteArrayOutputStream();
        KplRecords.bytesField(noData, 1, "k".getBytes(StandardCharsets.UTF_8));
        KplRecords.varintField(dataless, 1, 0);
        KplRecords.bytesField(noData, 3, dataless.toByteArray());
        assertMalformed(noData.toByteArray(), "no data");
    }

    @Test
    void deaggregate_whenTooShortForChecksum_refusesWithKplMalformed() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> KplAggregate.deaggregate(ByteBuffer.wrap(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A,
                        (byte) 0xC2, 1, 2})));
        assertEquals("KPL_MALFORMED", e.rejection().code());
    }

    @Test
    void deaggregate_skipsUnknownFieldsOfEveryWireType() {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        KplRecords.bytesField(message, 1, "k".getBytes(StandardCharsets.UTF_8));
        KplRecords.varintField(message, 9, 300);
        message.write(9 << 3 | 1);
        message.writeBytes(new byte[8]);
        message.write(10 << 3 | 5);
        message.writeBytes(new byte[4]);
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        KplRecords.varintField(inner, 1, 0);
        KplRecords.varintField(inner, 2, 0);
        KplRecords.bytesField(inner, 3, "x".getBytes(StandardCharsets.UTF_8));
        KplRecords.bytesField(inner, 7, "unknown".getBytes(StandardCharsets.UTF_8));
        KplRecords.bytesField(message, 3, inner.toByteArray());

        List<KplAggregate.SubRecord> subRecords = KplAggregate.deaggregate(ByteBuffer.wrap(KplRecords.frame(
                message.toByteArray())));

        assertEquals(1, subRecords.size());
        assertEquals("x", StandardCharsets.UTF_8.decode(subRecords.get(0).data()).toString());
    }

    @Test
    void deaggregate_randomCorruptions_neverThrowAnythingButARejection() {
        byte[] valid = KplRecords.aggregate().add("acme", event("e1")).add("globex", event("e2")).message();
        Random random = new Random(11);
        for (int i = 0; i < 3000; i++) {
            byte[] message = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                message[random.nextInt(message.length)] = (byte) random.nextInt(256);
            }
            byte[] cut = java.util.Arrays.copyOf(message, random.nextInt(message.length + 1));
            List<CloudEventReader.Element> elements = reader.read(ByteBuffer.wrap(KplRecords.frame(cut)));
            for (CloudEventReader.Element element : elements) {
                assertTrue(element.accepted() || element.rejection() != null);
                if (element.rejection() != null) {
                    assertNotNull(element.rejection().code());
                    assertFalse(element.rejection().message().isBlank());
                } else {
                    assertNull(element.rejection());
                }
            }
        }
    }

    private static void assertMalformed(byte[] message, String reasonPart) {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> KplAggregate.deaggregate(ByteBuffer.wrap(KplRecords.frame(message))));
        assertEquals("KPL_MALFORMED", e.rejection().code());
        assertTrue(e.rejection().message().contains(reasonPart), e.rejection().message());
    }
}

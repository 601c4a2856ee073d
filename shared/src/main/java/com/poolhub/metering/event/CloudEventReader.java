package com.poolhub.metering.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads one Kinesis record's data as CloudEvents 1.0 in structured mode: a single event object or a
 * JSON array of up to 500 events (CONTRACT §1). Each element becomes either a {@link CloudEvent}
 * whose envelope is valid or a {@link Rejection} saying why not; one bad element never spoils the
 * others.
 */
public final class CloudEventReader {
    /** At most this many events in one record. */
    public static final int MAX_EVENTS_PER_RECORD = 500;
    /** The subject (tenant or miner id) rule. */
    public static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** The sub-record position of an element read from a plain (not KPL-aggregated) record. */
    public static final int NOT_AGGREGATED = -1;

    /**
     * One element of a record: exactly one of {@code event} and {@code rejection} is set; {@code node}
     * is the element's JSON, or null when the record itself could not be split into elements.
     *
     * @param index     position in the JSON array (0 for a single event)
     * @param subRecord position of the KPL sub-record it came from, or {@link #NOT_AGGREGATED}
     * @param input     when {@code node} is null: the bytes that could not be split (the record's or the
     *                  sub-record's data), to keep with the rejection; otherwise null
     */
    public record Element(int index, JsonNode node, CloudEvent event, Rejection rejection, int subRecord,
                          ByteBuffer input) {
        public Element(int index, JsonNode node, CloudEvent event, Rejection rejection) {
            this(index, node, event, rejection, NOT_AGGREGATED, null);
        }

        public boolean accepted() {
            return event != null;
        }

        private Element from(int subRecord, ByteBuffer input) {
            return new Element(index, node, event, rejection, subRecord, node == null ? input : null);
        }
    }

    /**
     * Reads a record: plain JSON, or a KPL aggregated record whose sub-records each hold JSON (a
     * single event or an array). A record that is not UTF-8 JSON, or an aggregated record that is
     * corrupt, yields one rejected element at index 0.
     */
    public List<Element> read(ByteBuffer data) {
        if (KplAggregate.isAggregated(data)) {
            return readAggregated(data);
        }
        List<Element> elements = readPlain(data);
        if (elements.size() == 1 && elements.get(0).node() == null) {
            return List.of(elements.get(0).from(NOT_AGGREGATED, data));
        }
        return elements;
    }

    private List<Element> readAggregated(ByteBuffer data) {
        List<KplAggregate.SubRecord> subRecords;
        try {
            subRecords = KplAggregate.deaggregate(data);
        } catch (InvalidEventException e) {
            return List.of(new Element(0, null, null, e.rejection(), NOT_AGGREGATED, data));
        }
        List<Element> elements = new ArrayList<>();
        for (KplAggregate.SubRecord subRecord : subRecords) {
            for (Element element : readPlain(subRecord.data())) {
                elements.add(element.from(subRecord.index(), subRecord.data()));
            }
        }
        return elements;
    }

    private List<Element> readPlain(ByteBuffer data) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(data.asReadOnlyBuffer()).toString();
        } catch (CharacterCodingException e) {
            return List.of(new Element(0, null, null, Rejection.of("MALFORMED_RECORD", "record data is not UTF-8")));
        }
        return read(text);
    }

    /** Reads record text. */
    public List<Element> read(String text) {
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (JsonProcessingException e) {
            return List.of(new Element(0, null, null, Rejection.of("MALFORMED_JSON",
                    "record data is not valid JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            return List.of(new Element(0, null, null, Rejection.of("MALFORMED_JSON", "record data could not be read")));
        }
        if (root == null || root.isMissingNode()) {
            return List.of(new Element(0, null, null, Rejection.of("MALFORMED_JSON", "record data is empty")));
        }
        if (root.isArray()) {
            if (root.isEmpty()) {
                return List.of(new Element(0, null, null, Rejection.of("EMPTY_BATCH", "record holds an empty array")));
            }
            if (root.size() > MAX_EVENTS_PER_RECORD) {
                return List.of(new Element(0, null, null, Rejection.of("TOO_MANY_EVENTS",
                        "record holds " + root.size() + " events; at most " + MAX_EVENTS_PER_RECORD + " are allowed")));
            }
            List<Element> elements = new ArrayList<>(root.size());
            for (int i = 0; i < root.size(); i++) {
                elements.add(element(i, root.get(i)));
            }
            return elements;
        }
        return List.of(element(0, root));
    }

    private Element element(int index, JsonNode node) {
        try {
            return new Element(index, node, envelope(node), null);
        } catch (InvalidEventException e) {
            return new Element(index, node, null, e.rejection());
        }
    }

    private static CloudEvent envelope(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidEventException("NOT_AN_EVENT", "expected a JSON object, found " + node.getNodeType());
        }
        String specversion = text(node, "specversion", "INVALID_SPECVERSION");
        if (!"1.0".equals(specversion)) {
            throw new InvalidEventException("INVALID_SPECVERSION", "specversion must be \"1.0\", was \"" + specversion + "\"");
        }
        String id = text(node, "id", "INVALID_ID");
        checkLength(id, 128, "id", "INVALID_ID");
        String source = text(node, "source", "INVALID_SOURCE");
        checkLength(source, 256, "source", "INVALID_SOURCE");
        String type = text(node, "type", "INVALID_TYPE");
        String subject = text(node, "subject", "INVALID_SUBJECT");
        if (!SUBJECT.matcher(subject).matches()) {
            throw new InvalidEventException("INVALID_SUBJECT", "subject must match [A-Za-z0-9._:-]{1,64}");
        }
        Instant time = time(text(node, "time", "INVALID_TIME"));
        JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            throw new InvalidEventException("INVALID_DATA", "data must be a JSON object");
        }
        return new CloudEvent(id, source, type, subject, time, data);
    }

    /** Parses an RFC 3339 timestamp that carries a zone offset. */
    public static Instant time(String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("INVALID_TIME", "time must be RFC 3339 with a zone, was \"" + abbreviate(value) + "\"");
        }
    }

    private static String text(JsonNode node, String field, String code) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException(code, field + " is missing");
        }
        if (!value.isTextual()) {
            throw new InvalidEventException(code, field + " must be a string");
        }
        return value.textValue();
    }

    private static void checkLength(String value, int max, String field, String code) {
        int length = value.codePointCount(0, value.length());
        if (length < 1 || length > max) {
            throw new InvalidEventException(code, field + " must be 1 to " + max + " characters, was " + length);
        }
    }

    /** Shortens untrusted text quoted in a reason (a {@link Rejection} makes its message well-formed). */
    public static String abbreviate(String value) {
        if (value.length() <= 64) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(60)) ? 60 : 61; // never cut a surrogate pair
        return value.substring(0, end) + "...";
    }
}

package com.poolhub.metering.aws.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditCanonical;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.ChainLink;
import com.poolhub.metering.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit table's items. A record: {@code pk = DAY#yyyy-MM-dd}, {@code sk} = its sequence, 12
 * digits zero-padded; its fields as attributes ({@code before} and {@code after} as canonical JSON
 * text), {@code prevDay}/{@code prevSeq}/{@code prevHash}, {@code hash} and {@code ttl}. The chain's
 * head: {@code pk = sk = HEAD} with the last record's {@code day}, {@code seq} and {@code hash}.
 */
final class AuditItems {
    static final String DAY_PREFIX = "DAY#";
    static final String HEAD = "HEAD";
    static final int SLOT_DIGITS = 12;

    private AuditItems() {
    }

    static String partition(LocalDate day) {
        return DAY_PREFIX + day;
    }

    static String slot(long sequence) {
        return String.format("%0" + SLOT_DIGITS + "d", sequence);
    }

    static Map<String, AttributeValue> headKey() {
        return Map.of("pk", AttributeValue.fromS(HEAD), "sk", AttributeValue.fromS(HEAD));
    }

    static Map<String, AttributeValue> key(LocalDate day, long sequence) {
        return Map.of("pk", AttributeValue.fromS(partition(day)), "sk", AttributeValue.fromS(slot(sequence)));
    }

    static Map<String, AttributeValue> head(ChainLink link) {
        Map<String, AttributeValue> item = new HashMap<>(headKey());
        item.put("day", AttributeValue.fromS(link.day().toString()));
        item.put("seq", AttributeValue.fromN(Long.toString(link.sequence())));
        item.put("hash", AttributeValue.fromS(link.hash()));
        return item;
    }

    static ChainLink headLink(Map<String, AttributeValue> item) {
        return new ChainLink(LocalDate.parse(item.get("day").s()), Long.parseLong(item.get("seq").n()), item.get("hash").s());
    }

    static Map<String, AttributeValue> record(AuditRecord record, Duration retention) {
        Map<String, AttributeValue> item = new HashMap<>(key(record.day(), record.sequence()));
        item.put("seq", AttributeValue.fromN(Long.toString(record.sequence())));
        item.put("at", AttributeValue.fromS(record.at().toString()));
        putIfSet(item, "keyId", record.actor().keyId());
        item.put("role", AttributeValue.fromS(record.actor().role()));
        item.put("principal", AttributeValue.fromS(record.actor().principal()));
        putIfSet(item, "requestId", record.actor().requestId());
        item.put("type", AttributeValue.fromS(record.change().type()));
        item.put("subject", AttributeValue.fromS(record.change().subject()));
        item.put("before", AttributeValue.fromS(AuditCanonical.json(record.change().before())));
        item.put("after", AttributeValue.fromS(AuditCanonical.json(record.change().after())));
        if (!record.previous().isGenesis()) {
            item.put("prevDay", AttributeValue.fromS(record.previous().day().toString()));
        }
        item.put("prevSeq", AttributeValue.fromN(Long.toString(record.previous().sequence())));
        item.put("prevHash", AttributeValue.fromS(record.previous().hash()));
        item.put("hash", AttributeValue.fromS(record.hash()));
        item.put("ttl", AttributeValue.fromN(Long.toString(record.at().plus(retention).getEpochSecond())));
        return item;
    }

    /** The record an item holds; throws {@link IllegalArgumentException} when the item no longer decodes. */
    static AuditRecord decode(Map<String, AttributeValue> item) {
        try {
            AuditActor actor = new AuditActor(text(item, "keyId"), text(item, "role"), text(item, "principal"),
                    text(item, "requestId"));
            AuditChange change = new AuditChange(text(item, "type"), text(item, "subject"), json(item, "before"),
                    json(item, "after"));
            String prevDay = text(item, "prevDay");
            ChainLink previous = prevDay == null && ChainLink.GENESIS.hash().equals(text(item, "prevHash"))
                    ? ChainLink.GENESIS
                    : new ChainLink(LocalDate.parse(prevDay), number(item, "prevSeq"), text(item, "prevHash"));
            String day = item.get("pk").s().substring(DAY_PREFIX.length());
            return new AuditRecord(LocalDate.parse(day), number(item, "seq"), Instant.parse(text(item, "at")), actor,
                    change, previous, text(item, "hash"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("audit item " + item.get("pk") + "/" + item.get("sk") + " does not decode", e);
        }
    }

    static long slotOf(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get("sk").s());
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }

    private static JsonNode json(Map<String, AttributeValue> item, String name) {
        try {
            return Json.parse(text(item, name));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + " is not JSON", e);
        }
    }
}

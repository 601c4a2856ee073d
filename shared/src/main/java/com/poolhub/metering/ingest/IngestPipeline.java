package com.poolhub.metering.ingest;

import com.poolhub.metering.event.CloudEvent;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.ContentDigest;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.event.InvalidEventException;
import com.poolhub.metering.event.Rejection;
import com.poolhub.metering.signing.KeyStoreUnavailableException;
import com.poolhub.metering.signing.SignatureCheck;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared path from a Kinesis batch to exactly-once aggregates, used by every stream: read each
 * record, validate each event, keep refused ones with their reason, pre-aggregate the rest by key in
 * memory, apply them through the {@link ExactlyOnceStore}, and name the records that failed for a
 * passing cause so Lambda retries from them. A bad record never fails the batch.
 *
 * @param <E> domain event
 * @param <K> aggregate key
 */
public final class IngestPipeline<E, K> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
    /**
     * Reject data kept per event, in UTF-8 bytes (a DynamoDB item holds at most 400 KB); larger inputs
     * are kept truncated.
     */
    static final int MAX_REJECT_DATA = 300_000;

    private final String stream;
    private final CloudEventReader reader = new CloudEventReader();
    private final EventDecoder<E> decoder;
    private final EventTimePolicy timePolicy;
    private final Aggregation<E, K, ?> aggregation;
    private final ExactlyOnceStore<E, K> store;
    private final RejectStore rejects;
    private final IdClaims claims;
    private final SignatureCheck signatures;

    public IngestPipeline(String stream, EventDecoder<E> decoder, EventTimePolicy timePolicy,
                          Aggregation<E, K, ?> aggregation, ExactlyOnceStore<E, K> store, RejectStore rejects) {
        this(stream, decoder, timePolicy, aggregation, store, rejects, null);
    }

    /** @param claims the stricter id deduplication of the stream, or null for deduplication per aggregate */
    public IngestPipeline(String stream, EventDecoder<E> decoder, EventTimePolicy timePolicy,
                          Aggregation<E, K, ?> aggregation, ExactlyOnceStore<E, K> store, RejectStore rejects,
                          IdClaims claims) {
        this(stream, decoder, timePolicy, aggregation, store, rejects, claims, null);
    }

    private IngestPipeline(String stream, EventDecoder<E> decoder, EventTimePolicy timePolicy,
                           Aggregation<E, K, ?> aggregation, ExactlyOnceStore<E, K> store, RejectStore rejects,
                           IdClaims claims, SignatureCheck signatures) {
        this.stream = stream;
        this.decoder = decoder;
        this.timePolicy = timePolicy;
        this.aggregation = aggregation;
        this.store = store;
        this.rejects = rejects;
        this.claims = claims;
        this.signatures = signatures;
    }

    /** The same pipeline verifying each event's signature first (docs/signing.md); null verifies none. */
    public IngestPipeline<E, K> withSignatures(SignatureCheck check) {
        return new IngestPipeline<>(stream, decoder, timePolicy, aggregation, store, rejects, claims, check);
    }

    /** Whether an event may be counted: yes, no (with the reason), or not known yet (claim failed). */
    private record Admission(boolean admitted, Rejection conflict) {
        static final Admission YES = new Admission(true, null);
        static final Admission UNKNOWN = new Admission(false, null);
    }

    /** In the stricter mode, claims each event's id; otherwise admits every event. */
    private List<Admission> admit(List<CloudEvent> events) {
        List<Admission> admissions = new ArrayList<>(events.size());
        if (claims == null) {
            events.forEach(e -> admissions.add(Admission.YES));
            return admissions;
        }
        List<IdClaims.Claim> wanted = new ArrayList<>(events.size());
        for (CloudEvent event : events) {
            wanted.add(new IdClaims.Claim(event.fingerprint(), ContentDigest.of(event),
                    event.type() + " " + event.subject() + " at " + event.time()));
        }
        IdClaims.Result result = claims.claim(wanted);
        for (int i = 0; i < events.size(); i++) {
            String first = result.conflicts().get(i);
            if (first != null) {
                admissions.add(new Admission(false, Rejection.of("DUPLICATE_ID_CONFLICT",
                        "source and id were already counted for another event (" + first + ")")));
            } else {
                admissions.add(result.failed().contains(i) ? Admission.UNKNOWN : Admission.YES);
            }
        }
        return admissions;
    }

    /** Processes one batch; never throws for bad input. */
    public IngestReport process(List<StreamRecord> records) {
        Map<K, List<E>> byKey = new LinkedHashMap<>();
        Map<K, Set<String>> recordsByKey = new HashMap<>();
        List<RejectedRecord> refused = new ArrayList<>();
        List<Accepted<E>> valid = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (StreamRecord record : records) {
            for (CloudEventReader.Element element : reader.read(record.data())) {
                Decoded<E> decoded = decode(record, element);
                if (decoded.keysUnavailable()) {
                    failed.add(record.sequenceNumber());
                } else if (decoded.rejection() != null) {
                    refused.add(rejected(record, element, decoded.rejection()));
                } else {
                    valid.add(new Accepted<>(record, element, decoded.event()));
                }
            }
        }
        List<Admission> admissions = admit(valid.stream().map(a -> a.element().event()).toList());
        for (int i = 0; i < valid.size(); i++) {
            Accepted<E> accepted = valid.get(i);
            Admission admission = admissions.get(i);
            if (admission.conflict() != null) {
                refused.add(rejected(accepted.record(), accepted.element(), admission.conflict()));
            } else if (!admission.admitted()) {
                failed.add(accepted.record().sequenceNumber());
            } else {
                K key = aggregation.keyOf(accepted.event());
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(accepted.event());
                recordsByKey.computeIfAbsent(key, k -> new HashSet<>()).add(accepted.record().sequenceNumber());
            }
        }

        ApplyOutcome<K, E> outcome = byKey.isEmpty() ? ApplyOutcome.nothing() : store.apply(byKey);
        if (!refused.isEmpty()) {
            for (RejectedRecord unsaved : rejects.save(refused)) {
                failed.add(unsaved.sequenceNumber());
            }
            LOG.info("kept {} rejected events from {} with their reasons", refused.size(), stream);
        }
        outcome.failedKeys().forEach((key, cause) -> failed.addAll(recordsByKey.get(key)));
        if (!outcome.failedKeys().isEmpty()) {
            LOG.warn("{} aggregates of {} could not be written; {} records go back to Lambda for retry (first cause: {})",
                    outcome.failedKeys().size(), stream, failed.size(),
                    outcome.failedKeys().values().iterator().next().getClass().getSimpleName());
        }
        List<String> failedSorted = new ArrayList<>(failed);
        failedSorted.sort(Comparator.comparing(BigInteger::new));
        return new IngestReport(records.size(), outcome.applied(), outcome.duplicates(), refused.size(), failedSorted);
    }

    /**
     * Reads, validates, keys and folds a batch in memory without writing anything: how many events it
     * holds that would be applied. Used to warm the hot path before a SnapStart snapshot.
     */
    public int dryRun(List<StreamRecord> records) {
        int valid = 0;
        for (StreamRecord record : records) {
            for (CloudEventReader.Element element : reader.read(record.data())) {
                Decoded<E> decoded = decode(record, element);
                if (decoded.event() != null) {
                    fold(aggregation, decoded.event());
                    valid++;
                }
            }
        }
        return valid;
    }

    private static <E, K, S> S fold(Aggregation<E, K, S> aggregation, E event) {
        return aggregation.add(aggregation.empty(aggregation.keyOf(event)), event);
    }

    /**
     * Replays kept rejects (after a rule changed or a producer's data was fixed): each reject's data
     * is judged again and, when valid now, counted exactly once. Only events the store counted now or
     * found already counted are accepted; when the store's totals do not account for every event it
     * was given, none is accepted and those rejects are reported failed, as they are. Nothing is
     * saved as a reject here; the caller decides what to do with what is still refused.
     */
    public ReplayReport replay(List<RejectedRecord> kept) {
        Map<K, List<E>> byKey = new LinkedHashMap<>();
        Map<E, RejectedRecord> rejectOf = new IdentityHashMap<>();
        List<RejectedRecord> stillRefused = new ArrayList<>();
        List<RejectedRecord> failed = new ArrayList<>();
        List<Replayable<E>> valid = new ArrayList<>();
        for (RejectedRecord reject : kept) {
            StreamRecord record = new StreamRecord(reject.shardId(), reject.sequenceNumber(), reject.partitionKey(),
                    reject.arrivedAt(), java.nio.ByteBuffer.wrap(reject.data().getBytes(StandardCharsets.UTF_8)));
            List<CloudEventReader.Element> elements = reader.read(record.data());
            Decoded<E> decoded = elements.size() == 1 ? decode(record, elements.get(0))
                    : new Decoded<>(null, Rejection.of("NOT_REPLAYABLE", "the kept data is not a single event"));
            if (decoded.keysUnavailable()) {
                failed.add(reject);
                continue;
            }
            if (decoded.rejection() != null) {
                stillRefused.add(reject.withRejection(decoded.rejection()));
                continue;
            }
            valid.add(new Replayable<>(reject, elements.get(0).event(), decoded.event()));
        }
        List<Admission> admissions = admit(valid.stream().map(Replayable::cloudEvent).toList());
        for (int i = 0; i < valid.size(); i++) {
            Admission admission = admissions.get(i);
            Replayable<E> replayable = valid.get(i);
            if (admission.conflict() != null) {
                stillRefused.add(replayable.reject().withRejection(admission.conflict()));
            } else if (!admission.admitted()) {
                failed.add(replayable.reject());
            } else {
                byKey.computeIfAbsent(aggregation.keyOf(replayable.event()), k -> new ArrayList<>()).add(replayable.event());
                rejectOf.put(replayable.event(), replayable.reject());
            }
        }
        ApplyOutcome<K, E> outcome = byKey.isEmpty() ? ApplyOutcome.nothing() : store.apply(byKey);
        List<RejectedRecord> accepted = new ArrayList<>();
        byKey.forEach((key, events) -> {
            for (E event : events) {
                RejectedRecord reject = rejectOf.get(event);
                if (outcome.failedKeys().containsKey(key)) {
                    failed.add(reject);
                } else {
                    accepted.add(reject);
                }
            }
        });
        if (outcome.applied() + outcome.duplicates() < accepted.size()) {
            failed.addAll(accepted);
            accepted.clear();
        }
        return new ReplayReport(accepted, stillRefused, failed);
    }

    /** What a replay did: rejects now counted (or found already counted), still refused, or not reached. */
    public record ReplayReport(List<RejectedRecord> accepted, List<RejectedRecord> stillRefused,
                               List<RejectedRecord> failed) {
    }

    /** A decoded event, or why it is refused, or (neither) that the signing keys could not be read now. */
    private record Decoded<E>(E event, Rejection rejection) {
        boolean keysUnavailable() {
            return event == null && rejection == null;
        }
    }

    private record Accepted<E>(StreamRecord record, CloudEventReader.Element element, E event) {
    }

    private record Replayable<E>(RejectedRecord reject, CloudEvent cloudEvent, E event) {
    }

    private Decoded<E> decode(StreamRecord record, CloudEventReader.Element element) {
        if (element.rejection() != null) {
            return new Decoded<>(null, element.rejection());
        }
        if (signatures != null) {
            try {
                Rejection refused = signatures.check(element.node()).orElse(null);
                if (refused != null) {
                    return new Decoded<>(null, refused);
                }
            } catch (KeyStoreUnavailableException e) {
                LOG.warn("signing keys could not be read: shard={} seq={} cause={}", record.shardId(),
                        record.sequenceNumber(), e.getMessage());
                return new Decoded<>(null, null);
            }
        }
        try {
            timePolicy.check(element.event().time());
            return new Decoded<>(decoder.decode(element.event()), null);
        } catch (InvalidEventException e) {
            return new Decoded<>(null, e.rejection());
        } catch (RuntimeException e) {
            LOG.warn("event could not be decoded: shard={} seq={} index={} error={}", record.shardId(),
                    record.sequenceNumber(), element.index(), e.getClass().getSimpleName());
            return new Decoded<>(null, Rejection.of("UNPROCESSABLE", "the event could not be processed"));
        }
    }

    private RejectedRecord rejected(StreamRecord record, CloudEventReader.Element element, Rejection rejection) {
        String data = element.node() != null ? element.node().toString()
                : keptText(element.input() != null ? element.input() : record.data());
        if (data.length() > MAX_REJECT_DATA / 3 && utf8Length(data) > MAX_REJECT_DATA) {
            data = truncateUtf8(data, MAX_REJECT_DATA);
            rejection = Rejection.of(rejection.code(), rejection.message() + " (data kept truncated)");
        }
        return new RejectedRecord(stream, record.shardId(), record.sequenceNumber(), element.index(),
                record.partitionKey(), record.arrivedAt(), data, rejection, element.subRecord());
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /** The longest prefix of whole code points whose UTF-8 form fits in {@code maxBytes}. */
    private static String truncateUtf8(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    /** Input kept as text when it is UTF-8, else as {@code base64:} and its Base64, so nothing is lost. */
    private static String keptText(java.nio.ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(bytes.asReadOnlyBuffer()).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return "base64:" + java.util.Base64.getEncoder().encodeToString(
                    java.nio.ByteBuffer.allocate(bytes.remaining()).put(bytes.asReadOnlyBuffer()).array());
        }
    }
}

package com.poolhub.metering.aws.audit;

import com.poolhub.metering.api.PagePosition;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditPage;
import com.poolhub.metering.audit.AuditQuery;
import com.poolhub.metering.audit.AuditReader;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.audit.ChainLink;
import com.poolhub.metering.audit.StoredAuditRecord;
import com.poolhub.metering.aws.RetryPolicy;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The audit chain in its DynamoDB table ({@link AuditItems}). An append reads the head (one
 * consistent GetItem), then writes the record and moves the head in one transaction: the record's
 * put requires its slot to be free, the head's put requires the head to be the one read. A writer
 * that lost the race reads the new head and tries again, so the chain stays one line whatever the
 * number of writers. Listing reads the days of the range oldest first, a bounded number of Query
 * requests a page.
 */
public final class DynamoAuditLog implements AuditLog, AuditReader {
    /** Days a record is kept when {@code AUDIT_RETENTION_DAYS} is not set (the template's minimum). */
    public static final int DEFAULT_RETENTION_DAYS = 400;
    /** Attempts an append makes when other writers keep winning the head. */
    static final int MAX_ATTEMPTS = 25;
    /** Query requests one page may make, so that a long range of empty days cannot hold a request. */
    static final int MAX_QUERIES_PER_PAGE = 40;
    private static final Logger LOG = LoggerFactory.getLogger(DynamoAuditLog.class);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;

    public DynamoAuditLog(DynamoDbClient dynamo, String table, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
    }

    /** The log of a deployment: {@code AUDIT_TABLE} and {@code AUDIT_RETENTION_DAYS} from the environment. */
    public static DynamoAuditLog fromEnv(DynamoDbClient dynamo, Env env, Clock clock) {
        return new DynamoAuditLog(dynamo, Table.AUDIT.name(env), env.days("AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS), clock);
    }

    /** How long a record is kept (its TTL). */
    public Duration retention() {
        return retention;
    }

    @Override
    public AuditRecord append(AuditActor actor, AuditChange change) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                Optional<ChainLink> head = head();
                AuditRecord record = next(head, actor, change);
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(table)
                                .item(AuditItems.record(record, retention))
                                .conditionExpression("attribute_not_exists(pk)").build()).build(),
                        TransactWriteItem.builder().put(headPut(head, record.link())).build()));
                return record;
            } catch (TransactionCanceledException lostRace) {
                last = lostRace;
                RetryPolicy.WRITE_RACES.sleep(attempt);
            } catch (SdkException e) {
                if (!RetryPolicy.retryable(e) || attempt == MAX_ATTEMPTS) {
                    throw new AuditUnavailableException("the audit record could not be written", e);
                }
                last = e;
                RetryPolicy.SERVICE_CALLS.sleep(attempt);
            }
        }
        throw new AuditUnavailableException("the audit record could not be written: the chain's head stayed contended", last);
    }

    private AuditRecord next(Optional<ChainLink> head, AuditActor actor, AuditChange change) {
        Instant at = clock.instant();
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        ChainLink previous = head.orElse(ChainLink.GENESIS);
        if (!previous.isGenesis() && previous.day().isAfter(day)) {
            // another writer's clock is ahead: keep the chain's days in order
            day = previous.day();
        }
        return AuditRecord.sealed(day, previous.nextSequenceOn(day), at, actor, change, previous);
    }

    private Put headPut(Optional<ChainLink> head, ChainLink moved) {
        Put.Builder put = Put.builder().tableName(table).item(AuditItems.head(moved));
        if (head.isEmpty()) {
            return put.conditionExpression("attribute_not_exists(pk)").build();
        }
        return put.conditionExpression("#hash = :read")
                .expressionAttributeNames(Map.of("#hash", "hash"))
                .expressionAttributeValues(Map.of(":read", AttributeValue.fromS(head.get().hash())))
                .build();
    }

    @Override
    public Optional<ChainLink> head() {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(AuditItems.headKey()).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(AuditItems.headLink(response.item())) : Optional.empty();
    }

    @Override
    public List<StoredAuditRecord> day(LocalDate day) {
        List<StoredAuditRecord> records = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse response = dynamo.query(dayQuery(day, null, start, 0, true));
            for (Map<String, AttributeValue> item : response.items()) {
                records.add(stored(item));
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return records;
    }

    /** A stored record; one whose item no longer decodes comes back without its record (the verifier calls it tampered). */
    private static StoredAuditRecord stored(Map<String, AttributeValue> item) {
        try {
            return new StoredAuditRecord(AuditItems.slotOf(item), AuditItems.decode(item));
        } catch (IllegalArgumentException e) {
            return new StoredAuditRecord(AuditItems.slotOf(item), null);
        }
    }

    @Override
    public Optional<ChainLink> stored(LocalDate day, long slot) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(AuditItems.key(day, slot)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty() || !response.item().containsKey("hash")) {
            return Optional.empty();
        }
        return Optional.of(new ChainLink(day, slot, response.item().get("hash").s()));
    }

    @Override
    public Optional<AuditRecord> firstAfter(LocalDate day, LocalDate until) {
        for (LocalDate next = day.plusDays(1); !next.isAfter(until); next = next.plusDays(1)) {
            QueryResponse response = dynamo.query(dayQuery(next, null, null, 1, true));
            if (!response.items().isEmpty()) {
                return Optional.of(AuditItems.decode(response.items().get(0)));
            }
        }
        return Optional.empty();
    }

    @Override
    public AuditPage page(AuditQuery query, Optional<Map<String, String>> after, int limit) {
        LocalDate first = query.from().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = query.to().minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate day = first;
        long afterSlot = 0;
        if (after.isPresent()) {
            day = positionDay(after.get(), first, last);
            afterSlot = positionSlot(after.get());
        }
        List<AuditRecord> records = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        for (int queries = 0; queries < MAX_QUERIES_PER_PAGE; queries++) {
            QueryResponse response = dynamo.query(dayQuery(day, afterSlot, start, limit - records.size(), false));
            for (Map<String, AttributeValue> item : response.items()) {
                afterSlot = AuditItems.slotOf(item);
                try {
                    AuditRecord record = AuditItems.decode(item);
                    if (query.matches(record)) {
                        records.add(record);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("audit record {} of {} does not decode; GET /audit/verify reports it", afterSlot, day);
                }
            }
            boolean dayDone = !response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty();
            start = null;
            if (dayDone) {
                if (!day.isBefore(last)) {
                    return new AuditPage(records, null);
                }
                day = day.plusDays(1);
                afterSlot = 0;
            }
            if (records.size() >= limit) {
                break;
            }
        }
        return new AuditPage(records, Map.of("day", day.toString(), "slot", Long.toString(afterSlot)));
    }

    private QueryRequest dayQuery(LocalDate day, Long afterSlot, Map<String, AttributeValue> start, int limit, boolean consistent) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(consistent)
                .keyConditionExpression(afterSlot == null ? "pk = :pk" : "pk = :pk AND sk > :after")
                .expressionAttributeValues(afterSlot == null
                        ? Map.of(":pk", AttributeValue.fromS(AuditItems.partition(day)))
                        : Map.of(":pk", AttributeValue.fromS(AuditItems.partition(day)),
                                ":after", AttributeValue.fromS(AuditItems.slot(afterSlot))));
        if (start != null) {
            query.exclusiveStartKey(start);
        }
        if (limit > 0) {
            query.limit(limit);
        }
        return query.build();
    }

    private static LocalDate positionDay(Map<String, String> position, LocalDate first, LocalDate last) {
        try {
            LocalDate day = LocalDate.parse(position.getOrDefault("day", ""));
            if (day.isBefore(first) || day.isAfter(last)) {
                throw new PagePosition.OutsideQuery("page position day " + day + " lies outside [" + first + ", " + last + "]");
            }
            return day;
        } catch (DateTimeParseException e) {
            throw new PagePosition.OutsideQuery("page position without a day");
        }
    }

    private static long positionSlot(Map<String, String> position) {
        String slot = position.getOrDefault("slot", "");
        if (!slot.matches("[0-9]{1," + AuditItems.SLOT_DIGITS + "}")) {
            throw new PagePosition.OutsideQuery("page position without a slot");
        }
        return Long.parseLong(slot);
    }
}

package com.poolhub.metering.aws.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChainCheck;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditPage;
import com.poolhub.metering.audit.AuditQuery;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.audit.ChainLink;
import com.poolhub.metering.audit.ChainProblem;
import com.poolhub.metering.audit.ChainVerification;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit chain on the local DynamoDB: appends link day to day and stay one line under concurrent
 * writers; a record changed, deleted or moved in the table afterwards is found by verification.
 */
class DynamoAuditLogTest {
    private static final LocalDate DAY1 = LocalDate.parse("2026-12-02");
    private static final LocalDate DAY2 = LocalDate.parse("2026-12-03");
    private static final AuditActor ADMIN = new AuditActor("key-1", "ADMIN", "ops", "req-1");
    private static final AuditActor OTHER = new AuditActor("key-2", "ADMIN", "finance", "req-2");

    private final MutableClock clock = MutableClock.at("2026-12-02T22:00:00Z");
    private DynamoDbClient dynamo;
    private String table;
    private DynamoAuditLog log;

    @BeforeEach
    void tables() {
        dynamo = LocalDynamo.client();
        table = LocalDynamo.freshTables().get(Table.AUDIT);
        log = new DynamoAuditLog(dynamo, table, Duration.ofDays(400), clock);
    }

    @AfterEach
    void close() {
        dynamo.close();
    }

    private AuditRecord append(AuditActor actor, String type, String tenant, String after) throws Exception {
        clock.advance(Duration.ofMinutes(1));
        return log.append(actor, new AuditChange(type, tenant, null, Json.parse(after)));
    }

    /** Five records on DAY1, four on DAY2. */
    private List<AuditRecord> twoDays() throws Exception {
        List<AuditRecord> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            written.add(append(i % 2 == 0 ? ADMIN : OTHER, AuditTypes.QUOTA_LIMITS_SET, "acme", "{\"limit\":\"" + i + "\"}"));
        }
        clock.set(Instant.parse("2026-12-03T08:00:00Z"));
        for (int i = 0; i < 4; i++) {
            written.add(append(ADMIN, AuditTypes.API_KEY_ISSUED, "k" + i, "{\"role\":\"TENANT\"}"));
        }
        return written;
    }

    private ChainVerification verify(LocalDate day) {
        return new AuditChainCheck(log, clock, Duration.ofDays(400)).verify(day);
    }

    @Test
    void appends_numberEachDayFromOne_andLinkTheFirstOfADayToTheLastOfTheDayBefore() throws Exception {
        List<AuditRecord> written = twoDays();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 1L, 2L, 3L, 4L), written.stream().map(AuditRecord::sequence).toList());
        assertEquals(ChainLink.GENESIS, written.get(0).previous());
        assertEquals(written.get(4).link(), written.get(5).previous());
        assertEquals(Optional.of(written.get(8).link()), log.head());

        ChainVerification first = verify(DAY1);
        ChainVerification second = verify(DAY2);
        assertTrue(first.intact(), first.problems().toString());
        assertTrue(second.intact(), second.problems().toString());
        assertTrue(second.predecessorChecked());
        assertEquals(written.get(8).hash(), second.lastHash());
        List<AuditRecord> read = new ArrayList<>();
        log.day(DAY1).forEach(stored -> read.add(stored.record()));
        log.day(DAY2).forEach(stored -> read.add(stored.record()));
        assertEquals(written, read);
    }

    @Test
    void concurrentWriters_keepOneLinearChain() throws Exception {
        clock.set(Instant.parse("2026-12-03T08:00:00Z"));
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        log.append(ADMIN, new AuditChange(AuditTypes.QUOTA_LIMITS_SET, "tenant-" + writer, null, null));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }
        ChainVerification verification = verify(DAY2);
        assertTrue(verification.intact(), verification.problems().toString());
        assertEquals(40, verification.records());
        assertEquals(40, log.head().orElseThrow().sequence());
    }

    @Test
    void aTamperedRecord_isDetected() throws Exception {
        twoDays();
        dynamo.updateItem(b -> b.tableName(table).key(AuditItems.key(DAY1, 3))
                .updateExpression("SET #after = :after")
                .expressionAttributeNames(Map.of("#after", "after"))
                .expressionAttributeValues(Map.of(":after", AttributeValue.fromS("{\"limit\":\"1000000\"}"))));
        ChainVerification verification = verify(DAY1);
        assertEquals(List.of(ChainProblem.Kind.TAMPERED), kinds(verification));
        assertEquals(3, verification.problems().get(0).sequence());
        assertTrue(verify(DAY2).intact());
    }

    @Test
    void aDeletedRecord_isDetected_inTheMiddleAndAtTheEndOfADay() throws Exception {
        twoDays();
        dynamo.deleteItem(b -> b.tableName(table).key(AuditItems.key(DAY1, 2)));
        dynamo.deleteItem(b -> b.tableName(table).key(AuditItems.key(DAY1, 5)));
        ChainVerification verification = verify(DAY1);
        assertEquals(List.of(ChainProblem.Kind.MISSING, ChainProblem.Kind.MISSING), kinds(verification));
        assertEquals(List.of(2L, 5L), verification.problems().stream().map(ChainProblem::sequence).toList());
        // the next day's first record links to the deleted one
        assertEquals(List.of(ChainProblem.Kind.BROKEN_LINK), kinds(verify(DAY2)));
    }

    @Test
    void theLatestRecordDeleted_isDetectedByTheHead() throws Exception {
        twoDays();
        dynamo.deleteItem(b -> b.tableName(table).key(AuditItems.key(DAY2, 4)));
        assertEquals(List.of(ChainProblem.Kind.MISSING), kinds(verify(DAY2)));
    }

    @Test
    void reorderedRecords_areDetected() throws Exception {
        twoDays();
        Map<String, AttributeValue> second = item(DAY1, 2);
        Map<String, AttributeValue> fourth = item(DAY1, 4);
        put(withKey(fourth, DAY1, 2));
        put(withKey(second, DAY1, 4));
        ChainVerification verification = verify(DAY1);
        assertEquals(List.of(2L, 4L), verification.problems().stream()
                .filter(p -> p.kind() == ChainProblem.Kind.OUT_OF_ORDER).map(ChainProblem::sequence).toList());
    }

    @Test
    void aPage_filtersByTypeAndPrincipal_andContinuesAcrossDays() throws Exception {
        List<AuditRecord> written = twoDays();
        AuditQuery all = new AuditQuery(Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-04T00:00:00Z"),
                Optional.empty(), Optional.empty());
        List<AuditRecord> paged = new ArrayList<>();
        Optional<Map<String, String>> after = Optional.empty();
        int pages = 0;
        do {
            AuditPage page = log.page(all, after, 2);
            paged.addAll(page.records());
            after = Optional.ofNullable(page.next());
            pages++;
        } while (after.isPresent());
        assertEquals(written, paged);
        assertEquals(5, pages);

        AuditQuery byFinance = new AuditQuery(all.from(), all.to(), Optional.empty(), Optional.of("finance"));
        assertEquals(List.of(written.get(1), written.get(3)), log.page(byFinance, Optional.empty(), 100).records());
        AuditQuery keys = new AuditQuery(all.from(), all.to(), Optional.of(AuditTypes.API_KEY_ISSUED), Optional.empty());
        AuditPage page = log.page(keys, Optional.empty(), 100);
        assertEquals(written.subList(5, 9), page.records());
        assertNull(page.next());
    }

    @Test
    void anAppendTheStoreRefuses_isAnAuditFailure() {
        DynamoAuditLog missing = new DynamoAuditLog(dynamo, table + "-gone", Duration.ofDays(400), clock);
        assertThrows(AuditUnavailableException.class,
                () -> missing.append(ADMIN, new AuditChange(AuditTypes.QUOTA_LIMITS_SET, "acme", null, null)));
    }

    private Map<String, AttributeValue> item(LocalDate day, long slot) {
        return dynamo.getItem(b -> b.tableName(table).key(AuditItems.key(day, slot))).item();
    }

    private void put(Map<String, AttributeValue> item) {
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> withKey(Map<String, AttributeValue> item, LocalDate day, long slot) {
        Map<String, AttributeValue> moved = new HashMap<>(item);
        moved.putAll(AuditItems.key(day, slot));
        return moved;
    }

    private static List<ChainProblem.Kind> kinds(ChainVerification verification) {
        return verification.problems().stream().map(ChainProblem::kind).toList();
    }
}

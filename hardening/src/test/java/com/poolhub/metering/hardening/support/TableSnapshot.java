package com.poolhub.metering.hardening.support;

import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerLayout;
import com.poolhub.metering.telemetry.BucketGrid;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Everything stored in a set of tables, keyed by table and item key, attributes sorted, after the
 * ledgers are folded (as the scheduled sweeps do): two runs that counted the same events the same
 * number of times give equal snapshots. Left out, because they rightly depend on how events were
 * batched: the ledger pages and heads themselves, the optimistic-lock version ({@code ver}) and the
 * last folded page ({@code lp}).
 */
public final class TableSnapshot {
    private static final Duration LIMIT = Duration.ofDays(35);

    private TableSnapshot() {
    }

    public static Map<String, String> of(DynamoDbClient dynamo, Map<Table, String> tables) {
        fold(dynamo, tables);
        Map<String, String> snapshot = new TreeMap<>();
        tables.forEach((table, name) -> dynamo.scanPaginator(s -> s.tableName(name).consistentRead(true)).items()
                .forEach(item -> {
                    if (!LedgerLayout.isLedger(item.get("pk").s())) {
                        snapshot.put(table + "|" + item.get("pk").s() + "|" + item.get("sk").s(), comparable(item));
                    }
                }));
        return snapshot;
    }

    private static void fold(DynamoDbClient dynamo, Map<Table, String> tables) {
        ExecutorService writers = Workers.pool(2, "snapshot-folder");
        try {
            if (tables.containsKey(Table.USAGE)) {
                assertFolded(UsageIngestion.folder(dynamo, tables.get(Table.USAGE), LIMIT, writers).foldMarked());
            }
            if (tables.containsKey(Table.TELEMETRY)) {
                assertFolded(TelemetryIngestion.folder(dynamo, tables.get(Table.TELEMETRY), new BucketGrid(60), LIMIT,
                        writers).foldMarked());
            }
        } finally {
            writers.shutdownNow();
        }
    }

    private static void assertFolded(LedgerFolder.FoldReport report) {
        if (report.failed() > 0) {
            throw new IllegalStateException("the ledger could not be folded: " + report);
        }
    }

    private static String comparable(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> sorted = new TreeMap<>(item);
        sorted.remove("ver");
        sorted.remove("lp");
        return sorted.toString();
    }

    /** The items that differ between two snapshots, as {@code key: expected <> actual}, for a failure message. */
    public static String difference(Map<String, String> expected, Map<String, String> actual) {
        StringBuilder text = new StringBuilder();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            if (!java.util.Objects.equals(expected.get(key), actual.get(key))) {
                text.append(key).append(":\n  expected ").append(expected.get(key)).append("\n  actual   ")
                        .append(actual.get(key)).append('\n');
            }
        }
        return text.toString();
    }
}

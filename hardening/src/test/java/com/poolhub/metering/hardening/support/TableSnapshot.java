package com.poolhub.metering.hardening.support;

import com.poolhub.metering.aws.dynamodb.Table;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Everything stored in a set of tables, keyed by table and item key, attributes sorted: two runs that
 * counted the same events the same number of times give equal snapshots. The optimistic-lock version
 * ({@code ver}) is left out: it counts writes, whose number rightly depends on how events were batched.
 */
public final class TableSnapshot {
    private TableSnapshot() {
    }

    public static Map<String, String> of(DynamoDbClient dynamo, Map<Table, String> tables) {
        Map<String, String> snapshot = new TreeMap<>();
        tables.forEach((table, name) -> dynamo.scanPaginator(s -> s.tableName(name).consistentRead(true)).items()
                .forEach(item -> snapshot.put(table + "|" + item.get("pk").s() + "|" + item.get("sk").s(),
                        withoutVersion(item))));
        return snapshot;
    }

    private static String withoutVersion(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> sorted = new TreeMap<>(item);
        sorted.remove("ver");
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

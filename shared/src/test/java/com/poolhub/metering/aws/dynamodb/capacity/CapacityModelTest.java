package com.poolhub.metering.aws.dynamodb.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.aws.dynamodb.Table;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

class CapacityModelTest {
    private static final Table.Index DIRTY = new Table.Index("dirty", "dp", "ds", Table.Index.Projection.KEYS_ONLY);
    private final CapacityModel plain = new CapacityModel(table -> List.of());
    private final CapacityModel indexed = new CapacityModel(table -> List.of(DIRTY));

    /** An item of exactly {@code bytes}: pk "k" (1 + 1) and one string attribute "v" filling the rest. */
    private static Map<String, AttributeValue> sized(int bytes) {
        return new HashMap<>(Map.of("pk", AttributeValue.fromS("k"), "v", AttributeValue.fromS("x".repeat(bytes - 4))));
    }

    @Test
    void itemSizesFollowThePublishedRules() {
        assertEquals(2 + 3, ItemSize.of(Map.of("pk", AttributeValue.fromS("abc"))));
        assertEquals(2 + 2, ItemSize.of(Map.of("pk", AttributeValue.fromS("é"))), "UTF-8 bytes, not characters");
        assertEquals(1 + 4, ItemSize.of(Map.of("n", AttributeValue.fromN("123.45"))), "5 significant digits: 3 + 1");
        assertEquals(1 + 2, ItemSize.of(Map.of("n", AttributeValue.fromN("1000"))), "trailing zeros trimmed");
        assertEquals(1 + 2, ItemSize.of(Map.of("n", AttributeValue.fromN("0.001"))), "leading zeros trimmed");
        assertEquals(1 + 5, ItemSize.of(Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[5])))));
        assertEquals(1 + 1, ItemSize.of(Map.of("t", AttributeValue.fromBool(true))));
        assertEquals(1 + 1, ItemSize.of(Map.of("z", AttributeValue.fromNul(true))));
        assertEquals(1 + 3, ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of()))), "an empty map is 3 bytes");
        // list of two strings "ab", "c": 3 + (2 + 1) + (1 + 1)
        assertEquals(1 + 8, ItemSize.of(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"), AttributeValue.fromS("c"))))));
        // map {x: "ab"}: 3 + (1 + 2) + 1
        assertEquals(1 + 7, ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of("x", AttributeValue.fromS("ab"))))));
        assertEquals(1024, ItemSize.of(sized(1024)));
    }

    @Test
    void writesRoundUpPerKilobyteAtTheExactBoundary() {
        assertEquals(1, plain.write("t", null, sized(1024), false));
        assertEquals(2, plain.write("t", null, sized(1025), false));
        assertEquals(1, plain.write("t", null, Map.of("pk", AttributeValue.fromS("k")), false), "at least one unit");
        assertEquals(2, plain.write("t", sized(1025), sized(100), false), "the larger of old and new");
        assertEquals(2, plain.write("t", sized(1025), null, false), "a delete costs the deleted item");
    }

    @Test
    void readsRoundUpPerFourKilobytesAndEventualConsistencyHalves() {
        assertEquals(1, CapacityModel.read(4096, true, false));
        assertEquals(2, CapacityModel.read(4097, true, false));
        assertEquals(0.5, CapacityModel.read(4096, false, false));
        assertEquals(1, CapacityModel.read(4097, false, false));
        assertEquals(0.5, CapacityModel.read(0, false, false), "a read of nothing still costs the minimum");
    }

    @Test
    void transactionsCostTwice() {
        assertEquals(2, plain.write("t", null, sized(1024), true));
        assertEquals(4, plain.write("t", null, sized(1025), true));
        assertEquals(4, CapacityModel.read(4097, true, true));
    }

    @Test
    void indexWritesComeOnTopByProjectedEntry() {
        Map<String, AttributeValue> unmarked = sized(1025);
        Map<String, AttributeValue> marked = new HashMap<>(unmarked);
        marked.put("dp", AttributeValue.fromS("D#1"));
        marked.put("ds", AttributeValue.fromS("a"));
        assertEquals(2, indexed.write("t", null, unmarked, false), "not in the sparse index: no index write");
        assertEquals(3, indexed.write("t", null, marked, false), "a new entry: one write of the small keys-only entry");
        assertEquals(3, indexed.write("t", marked, unmarked, false), "entry removed: one write");
        Map<String, AttributeValue> moved = new HashMap<>(marked);
        moved.put("ds", AttributeValue.fromS("b"));
        assertEquals(4, indexed.write("t", marked, moved, false), "index key changed: delete and put");
        Map<String, AttributeValue> grown = new HashMap<>(marked);
        grown.put("other", AttributeValue.fromS("y"));
        assertEquals(2, indexed.write("t", marked, grown, false), "keys-only entry unchanged: no index write");
        assertEquals(5, indexed.write("t", null, marked, true), "the table write doubles in a transaction, the index write does not");
    }

    @Test
    void failedConditionalWritesChargeTheExistingItem() {
        assertEquals(2, plain.failedWrite(sized(1025), false));
        assertEquals(1, plain.failedWrite(null, false));
        RequestCapacity requests = new RequestCapacity(plain);
        Map<String, AttributeValue> big = sized(2049);
        big.put("sk", AttributeValue.fromS("-"));
        requests.succeeded(PutItemRequest.builder().tableName("t").item(big).build(), null);
        assertEquals(3, requests.conditionFailed(PutItemRequest.builder().tableName("t").item(Map.of(
                "pk", AttributeValue.fromS("k"), "sk", AttributeValue.fromS("-"))).build()).write());
    }

    @Test
    void updatesAreSizedByApplyingTheirExpressionToTheKnownItem() {
        RequestCapacity requests = new RequestCapacity(plain);
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k"), "sk", AttributeValue.fromS("s"));
        UpdateItemRequest grow = UpdateItemRequest.builder().tableName("t").key(key)
                .updateExpression("SET #v = :v ADD n :one")
                .expressionAttributeNames(Map.of("#v", "v"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("x".repeat(1100)), ":one", AttributeValue.fromN("1")))
                .build();
        assertEquals(2, requests.succeeded(grow, null).write());
        UpdateItemRequest shrink = UpdateItemRequest.builder().tableName("t").key(key).updateExpression("REMOVE v").build();
        assertEquals(2, requests.succeeded(shrink, null).write(), "charged by the larger, old, item");
        assertEquals(1, requests.succeeded(shrink, null).write());
        TransactWriteItemsRequest transaction = TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(Update.builder().tableName("t").key(key).updateExpression("ADD n :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).build()).build()).build();
        assertEquals(2, requests.succeeded(transaction, null).write());
        Map<String, AttributeValue> after = UpdateExpressions.apply(Map.of("n", AttributeValue.fromN("2")), key,
                "SET n = n + :one, m = if_not_exists(m, :one)", null, Map.of(":one", AttributeValue.fromN("1")));
        assertEquals("3", after.get("n").n());
        assertEquals("1", after.get("m").n());
        assertThrows(IllegalArgumentException.class, () -> UpdateExpressions.apply(null, key, "SET a.b = :one", null,
                Map.of(":one", AttributeValue.fromN("1"))));
    }

    @Test
    void projectTablesAreMatchedByTheirLocalNamePrefix() {
        assertEquals(Table.USAGE.indexes(), CapacityModel.projectIndexes("poolhub-usage-bench-ingest-3"));
        assertEquals(List.of(), CapacityModel.projectIndexes("poolhub-quotas-t1-2"));
    }
}

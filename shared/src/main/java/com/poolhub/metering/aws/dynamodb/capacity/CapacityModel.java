package com.poolhub.metering.aws.dynamodb.capacity;

import com.poolhub.metering.aws.dynamodb.Table;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's published capacity rules, computed from items rather than read from a response. A
 * write costs one unit per started KB of the larger of the item's old and new size (at least one),
 * twice inside a transaction; each global secondary index whose entry the write creates, changes or
 * removes costs one more write per started KB of the projected entry (two when the index key
 * changes: a delete and a put). A strongly consistent read costs one unit per started 4 KB, an
 * eventually consistent read half, a transactional read twice. A conditional write whose condition
 * fails still costs the size of the existing item (at least one unit).
 */
public final class CapacityModel {
    public static final int WRITE_UNIT_BYTES = 1024;
    public static final int READ_UNIT_BYTES = 4096;
    private static final List<String> TABLE_KEY = List.of("pk", "sk");

    private final Function<String, List<Table.Index>> indexes;

    /** A model whose tables' secondary indexes come from {@code indexes} (by table name). */
    public CapacityModel(Function<String, List<Table.Index>> indexes) {
        this.indexes = indexes;
    }

    /** The project's tables ({@link Table}), matched by their local name as the prefix of the table name. */
    public static CapacityModel forProjectTables() {
        return new CapacityModel(CapacityModel::projectIndexes);
    }

    static List<Table.Index> projectIndexes(String tableName) {
        Table best = null;
        for (Table table : Table.values()) {
            if ((tableName.equals(table.localName()) || tableName.startsWith(table.localName() + "-"))
                    && (best == null || table.localName().length() > best.localName().length())) {
                best = table;
            }
        }
        return best == null ? List.of() : best.indexes();
    }

    /** Write units of one item write; {@code before} or {@code after} is null when the item is absent. */
    public double write(String table, Map<String, AttributeValue> before, Map<String, AttributeValue> after,
                        boolean transactional) {
        double base = writeUnits(Math.max(ItemSize.of(before), ItemSize.of(after)));
        double units = transactional ? 2 * base : base;
        for (Table.Index index : indexes.apply(table)) {
            units += indexWrite(index, before, after);
        }
        return units;
    }

    /** Write units of a conditional write whose condition failed: the existing item's size, at least one unit. */
    public double failedWrite(Map<String, AttributeValue> existing, boolean transactional) {
        double base = writeUnits(ItemSize.of(existing));
        return transactional ? 2 * base : base;
    }

    /** Read units for {@code bytes} read as one unit of account (an item, or a Query page). */
    public static double read(long bytes, boolean consistent, boolean transactional) {
        double units = Math.max(1, ceilDiv(bytes, READ_UNIT_BYTES));
        if (transactional) {
            return 2 * units;
        }
        return consistent ? units : units / 2;
    }

    /** Write units for an item of {@code bytes}: one per started KB, at least one. */
    public static double writeUnits(long bytes) {
        return Math.max(1, ceilDiv(bytes, WRITE_UNIT_BYTES));
    }

    /** The index writes caused by one item write on one index. */
    static double indexWrite(Table.Index index, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Map<String, AttributeValue> old = entry(index, before);
        Map<String, AttributeValue> now = entry(index, after);
        if (old == null && now == null) {
            return 0;
        }
        if (old == null) {
            return writeUnits(ItemSize.of(now));
        }
        if (now == null) {
            return writeUnits(ItemSize.of(old));
        }
        boolean keyChanged = !Objects.equals(old.get(index.partitionAttribute()), now.get(index.partitionAttribute()))
                || !Objects.equals(old.get(index.sortAttribute()), now.get(index.sortAttribute()));
        if (keyChanged) {
            return writeUnits(ItemSize.of(old)) + writeUnits(ItemSize.of(now));
        }
        return old.equals(now) ? 0 : writeUnits(Math.max(ItemSize.of(old), ItemSize.of(now)));
    }

    /** The item's entry in the index (its projection), or null when the item is not in the (sparse) index. */
    static Map<String, AttributeValue> entry(Table.Index index, Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(index.partitionAttribute()) || !item.containsKey(index.sortAttribute())) {
            return null;
        }
        if (index.projection() == Table.Index.Projection.ALL) {
            return item;
        }
        Map<String, AttributeValue> keys = new HashMap<>();
        for (String name : List.of(TABLE_KEY.get(0), TABLE_KEY.get(1), index.partitionAttribute(), index.sortAttribute())) {
            if (item.containsKey(name)) {
                keys.put(name, item.get(name));
            }
        }
        return keys;
    }

    /** The primary key attributes every project table keys on. */
    public static List<String> tableKey() {
        return TABLE_KEY;
    }

    private static long ceilDiv(long bytes, int unit) {
        return (bytes + unit - 1) / unit;
    }
}

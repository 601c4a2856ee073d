package com.poolhub.metering.aws.dynamodb.ledger;

import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where the ledger lives in an aggregate table: per scope one partition {@code pk = LEDGER#scope}
 * holding the head ({@code sk = HEAD}: {@code pages} committed, {@code folded} into the aggregate
 * items, {@code foldedAt}), the pages numbered from 1 ({@code sk = P#0000000001}, naming their
 * content item in {@code c}) and the content items ({@code sk = B#id}: {@code fp} the sorted
 * fingerprints, {@code d} the partial state of each key the page counts). A content item is written
 * first, outside the commit, so the commit's transaction (billed at twice the units) carries only
 * small items; a content item no page names (a lost race) is never read and expires. A head with pages not yet
 * folded carries a mark ({@code dp = DIRTY#LEDGER#shard}, {@code ds = scope}) read through the
 * table's sparse, keys-only {@value #INDEX} index.
 */
public final class LedgerLayout {
    public static final String PREFIX = "LEDGER#";
    public static final String HEAD = "HEAD";
    public static final String INDEX = "dirty";
    public static final String MARK_PARTITION = "dp";
    public static final String MARK_SORT = "ds";
    /** Index partitions the marks spread over. */
    public static final int MARK_SHARDS = 16;
    static final String PAGES = "pages";
    static final String FOLDED = "folded";
    static final String FOLDED_AT = "foldedAt";
    static final String FINGERPRINTS = "fp";
    static final String CONTENT = "c";
    static final String DELTAS = "d";
    static final String TTL = "ttl";
    /** On aggregate items: the last page of their scope folded into them. */
    static final String LAST_PAGE = "lp";
    /** On aggregate items: the optimistic-lock version. */
    static final String VERSION = "ver";

    private LedgerLayout() {
    }

    /** Whether an item's partition key is a ledger's (readers of aggregates skip these). */
    public static boolean isLedger(String partitionKey) {
        return partitionKey.startsWith(PREFIX);
    }

    static String partition(String scope) {
        return PREFIX + scope;
    }

    static String scopeOf(String partition) {
        return partition.substring(PREFIX.length());
    }

    static String pageSort(int page) {
        return String.format(Locale.ROOT, "P#%010d", page);
    }

    static int pageNumber(String sort) {
        return Integer.parseInt(sort.substring(2));
    }

    static Map<String, AttributeValue> headKey(String scope) {
        return Map.of("pk", AttributeValue.fromS(partition(scope)), "sk", AttributeValue.fromS(HEAD));
    }

    static String contentSort(String id) {
        return "B#" + id;
    }

    static Map<String, AttributeValue> contentKey(String scope, String id) {
        return Map.of("pk", AttributeValue.fromS(partition(scope)), "sk", AttributeValue.fromS(contentSort(id)));
    }

    static Map<String, AttributeValue> pageKey(String scope, int page) {
        return Map.of("pk", AttributeValue.fromS(partition(scope)), "sk", AttributeValue.fromS(pageSort(page)));
    }

    /** The index partition of one shard of the marks. */
    public static String markPartition(int shard) {
        return "DIRTY#LEDGER#" + shard;
    }

    static String markPartition(String scope) {
        return markPartition(Math.floorMod(scope.hashCode(), MARK_SHARDS));
    }

    static int number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item == null ? null : item.get(attribute);
        return value == null ? 0 : Integer.parseInt(value.n());
    }

    static long longNumber(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item == null ? null : item.get(attribute);
        return value == null ? 0 : Long.parseLong(value.n());
    }
}

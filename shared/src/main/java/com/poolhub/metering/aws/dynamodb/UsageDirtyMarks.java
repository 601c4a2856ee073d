package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Marks on usage items whose totals changed since they were last rolled up, read through the
 * sparse, keys-only index {@value #INDEX} of the usage table. A mark is two attributes written in
 * the same request that changes the item: {@code dp = DIRTY#<GRANULARITY>#<shard>} (a few shards
 * per granularity, so no index partition runs hot) and
 * {@code ds = <parentWindowStart>#<tenant>#<RESOURCE>#<unit>#<windowStart>}, so one index Query per
 * shard lists the changed windows grouped by the parent window they roll into. The rollup removes a
 * mark only on the condition that the item's version is still the one it summed.
 */
public final class UsageDirtyMarks {
    public static final String INDEX = "dirty";
    public static final String PARTITION = "dp";
    public static final String SORT = "ds";
    /** Index partitions per granularity. Ingest and rollup must agree on it. */
    public static final int SHARDS = 16;

    private UsageDirtyMarks() {
    }

    /** The mark attributes for a changed window (minutes, hours and days have parents; months do not). */
    public static Map<String, AttributeValue> mark(UsageKey key) {
        if (key.granularity() == Granularity.MONTH) {
            throw new IllegalArgumentException("months roll into nothing and are never marked");
        }
        return Map.of(PARTITION, AttributeValue.fromS(partition(key.granularity(), shard(key))),
                SORT, AttributeValue.fromS(sort(key)));
    }

    /** The index partition of one shard of a granularity's marks. */
    public static String partition(Granularity granularity, int shard) {
        return "DIRTY#" + granularity + "#" + shard;
    }

    static int shard(UsageKey key) {
        return Math.floorMod((key.tenant() + "#" + key.resource() + "#" + key.unit().wire()).hashCode(), SHARDS);
    }

    static String sort(UsageKey key) {
        return UtcTimes.format(key.parent().windowStart()) + "#" + key.tenant() + "#" + key.resource() + "#"
                + key.unit().wire() + "#" + UtcTimes.format(key.windowStart());
    }

    /** The marked window named by a mark's sort key. */
    public static UsageKey parse(Granularity granularity, String sort) {
        String[] parts = sort.split("#");
        if (parts.length != 5) {
            throw new IllegalArgumentException("not a dirty mark: " + sort);
        }
        return new UsageKey(parts[1], Resource.valueOf(parts[2]),
                UsageUnit.parse(parts[3]).orElseThrow(() -> new IllegalArgumentException("unknown unit in mark " + sort)),
                granularity, Instant.parse(parts[4]));
    }
}

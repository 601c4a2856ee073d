package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Marks on HOUR usage items whose total changed since the billing sync last billed it, read through
 * the sparse, keys-only index {@value #INDEX} of the usage table. {@link UsageAggregateCodec} puts the
 * mark in every hour item it encodes, so it is written in the same request that changes the total:
 * {@code bp = BILLING#<shard>} (a few shards, by tenant) and
 * {@code bs = <hourStart>#<tenant>#<RESOURCE>#<unit>}, so one index Query per shard lists the changed
 * hours oldest first. The billing sync removes a mark only on the condition that the item's quantity
 * is still the one it billed; a total changed meanwhile keeps its mark for the next run.
 */
public final class BillingMarks {
    public static final String INDEX = "billing";
    public static final String PARTITION = "bp";
    public static final String SORT = "bs";
    /** Index partitions. The codec and the billing sync must agree on it. */
    public static final int SHARDS = 4;

    private BillingMarks() {
    }

    /** The mark attributes of a changed hour item. */
    public static Map<String, AttributeValue> mark(UsageKey key) {
        if (key.granularity() != Granularity.HOUR) {
            throw new IllegalArgumentException("only hours are billed: " + key.granularity());
        }
        return Map.of(PARTITION, AttributeValue.fromS(partition(Math.floorMod(key.tenant().hashCode(), SHARDS))),
                SORT, AttributeValue.fromS(UtcTimes.format(key.windowStart()) + "#" + key.tenant() + "#"
                        + key.resource() + "#" + key.unit().wire()));
    }

    /** The index partition of one shard. */
    public static String partition(int shard) {
        return "BILLING#" + shard;
    }

    /** The smallest sort key of the marks of hours starting at or after {@code hourStart}. */
    public static String sortFrom(Instant hourStart) {
        return UtcTimes.format(hourStart);
    }

    /** The tenant and hour named by a mark's sort key. */
    public static MarkedHour parse(String sort) {
        String[] parts = sort.split("#");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a billing mark: " + sort);
        }
        return new MarkedHour(parts[1], Instant.parse(parts[0]));
    }

    /** A tenant's hour with at least one changed total. */
    public record MarkedHour(String tenant, Instant hourStart) {
    }
}

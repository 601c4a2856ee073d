package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.config.AggregateRetention;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.rollup.RollupPlan;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Rolls usage up one granularity at a time on DynamoDB: minutes into hours, hours into days, days
 * into months (UTC). A step reads the windows marked changed ({@link UsageDirtyMarks}), reads each
 * affected parent's children with one consistent Query per tenant and parent window, and SETs each
 * parent to the sum of its children on the condition that its stored source version
 * ({@code srcVer}) is lower than the one summed, so a repeated, late or concurrent run never moves a
 * total backwards or counts anything twice. A written parent is marked changed for the next step.
 * Then each child's mark is removed on the condition that the child's version is still the one
 * summed; a child written meanwhile keeps its mark for the next run. Work per run grows with the
 * windows that changed, not with all windows.
 */
public final class DynamoUsageRollup {
    /** The source version attribute of rolled-up windows. */
    public static final String SOURCE_VERSION = "srcVer";
    private static final Logger LOG = LoggerFactory.getLogger(DynamoUsageRollup.class);

    private final DynamoDbClient dynamo;
    private final String table;
    private final UsageAggregateCodec codec;
    private final DynamoUsageReader reader;
    private final UsageMetricsSink sink;
    private final ExecutorService workers;
    private final int maxMarksPerStep;

    /**
     * @param maxMarksPerStep changed windows handled per step at most; the rest wait for the next run
     */
    public DynamoUsageRollup(DynamoDbClient dynamo, String table, UsageMetricsSink sink, ExecutorService workers,
                             int maxMarksPerStep) {
        this(dynamo, table, sink, workers, maxMarksPerStep, AggregateRetention.MINIMUM);
    }

    /**
     * @param maxMarksPerStep    changed windows handled per step at most; the rest wait for the next run
     * @param aggregateRetention how long a written hour, day or month is kept after its window ends
     */
    public DynamoUsageRollup(DynamoDbClient dynamo, String table, UsageMetricsSink sink, ExecutorService workers,
                             int maxMarksPerStep, Duration aggregateRetention) {
        this.dynamo = dynamo;
        this.table = table;
        this.codec = new UsageAggregateCodec(Duration.ZERO, aggregateRetention);
        this.reader = new DynamoUsageReader(dynamo, table, true);
        this.sink = sink;
        this.workers = workers;
        this.maxMarksPerStep = maxMarksPerStep;
    }

    /** Every step in order (minutes, hours, days), so one run carries a change up to its month. */
    public List<RollupReport> runAll() {
        return List.of(run(Granularity.MINUTE), run(Granularity.HOUR), run(Granularity.DAY));
    }

    /** Rolls the changed windows of {@code from} into their parents. */
    public RollupReport run(Granularity from) {
        if (from.coarser() == null) {
            throw new IllegalArgumentException("months roll into nothing");
        }
        Map<UsageKey, Boolean> marked = readMarks(from);
        RollupPlan plan = RollupPlan.of(marked.keySet());
        Counters counters = new Counters();
        List<VersionedWindow> written = Collections.synchronizedList(new ArrayList<>());
        List<VersionedWindow> toClear = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> scans = new ArrayList<>();
        for (RollupPlan.Scan scan : plan.scans()) {
            scans.add(CompletableFuture.runAsync(() -> {
                try {
                    rollUp(scan, plan.parents(scan), counters, written, toClear);
                } catch (SdkException e) {
                    LOG.warn("rollup scan failed: tenant={} level={} parent={} error={}: {}", scan.tenant(),
                            scan.childGranularity(), scan.parentStart(), e.getClass().getSimpleName(), e.getMessage());
                    counters.failed.addAndGet(plan.parents(scan).size());
                }
            }, workers));
        }
        CompletableFuture.allOf(scans.toArray(CompletableFuture[]::new)).join();
        // marks go only after every parent they feed is written, spread over all workers
        List<CompletableFuture<Void>> clears = new ArrayList<>();
        for (VersionedWindow child : toClear) {
            clears.add(CompletableFuture.runAsync(() -> (clearMark(child) ? counters.cleared : counters.kept).incrementAndGet(),
                    workers));
        }
        CompletableFuture.allOf(clears.toArray(CompletableFuture[]::new)).join();
        int refused = 0;
        if (!written.isEmpty()) {
            refused = send(List.copyOf(written));
        }
        return new RollupReport(from, marked.size(), counters.written.get(), counters.upToDate.get(),
                counters.superseded.get(), counters.cleared.get(), counters.kept.get(), counters.failed.get(), refused);
    }

    /** The sink is a secondary copy: its failures are reported, never allowed to fail the rollup. */
    private int send(List<VersionedWindow> windows) {
        try {
            UsageMetricsSink.Result result = sink.write(windows);
            result.refused().forEach(r -> LOG.warn("metrics sink refused {} {} {}/{} at {}: {}", r.window().key().tenant(),
                    r.window().key().granularity(), r.window().key().resource(), r.window().key().unit().wire(),
                    r.window().key().windowStart(), r.reason()));
            return result.refused().size();
        } catch (RuntimeException e) {
            LOG.warn("metrics sink failed for {} windows: {}: {}", windows.size(), e.getClass().getSimpleName(), e.getMessage());
            return windows.size();
        }
    }

    private static final class Counters {
        final AtomicInteger written = new AtomicInteger();
        final AtomicInteger upToDate = new AtomicInteger();
        final AtomicInteger superseded = new AtomicInteger();
        final AtomicInteger cleared = new AtomicInteger();
        final AtomicInteger kept = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
    }

    private Map<UsageKey, Boolean> readMarks(Granularity level) {
        Map<UsageKey, Boolean> marks = new LinkedHashMap<>();
        for (int shard = 0; shard < UsageDirtyMarks.SHARDS && marks.size() < maxMarksPerStep; shard++) {
            Map<String, AttributeValue> start = null;
            do {
                QueryResponse page = dynamo.query(QueryRequest.builder()
                        .tableName(table)
                        .indexName(UsageDirtyMarks.INDEX)
                        .keyConditionExpression("#dp = :dp")
                        .expressionAttributeNames(Map.of("#dp", UsageDirtyMarks.PARTITION))
                        .expressionAttributeValues(Map.of(":dp", AttributeValue.fromS(UsageDirtyMarks.partition(level, shard))))
                        .exclusiveStartKey(start)
                        .limit(Math.min(1000, maxMarksPerStep - marks.size()))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build());
                for (Map<String, AttributeValue> item : page.items()) {
                    marks.put(UsageDirtyMarks.parse(level, item.get(UsageDirtyMarks.SORT).s()), Boolean.TRUE);
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && marks.size() < maxMarksPerStep);
        }
        return marks;
    }

    private void rollUp(RollupPlan.Scan scan, Map<UsageKey, List<UsageKey>> parents, Counters counters,
                        List<VersionedWindow> written, List<VersionedWindow> toClear) {
        Map<UsageKey, VersionedWindow> children = readChildren(scan);
        for (VersionedWindow parent : RollupPlan.sum(parents.keySet(), children.values())) {
            Outcome outcome;
            try {
                outcome = write(parent);
            } catch (SdkException e) {
                LOG.warn("rollup write failed: {} {} error={}", parent.key().tenant(), parent.key().windowStart(),
                        e.getClass().getSimpleName());
                counters.failed.incrementAndGet();
                continue;
            }
            switch (outcome) {
                case WRITTEN -> {
                    counters.written.incrementAndGet();
                    written.add(parent);
                }
                case UP_TO_DATE -> counters.upToDate.incrementAndGet();
                case SUPERSEDED -> {
                    counters.superseded.incrementAndGet();
                    continue;
                }
                default -> throw new IllegalStateException();
            }
            for (UsageKey child : parents.get(parent.key())) {
                VersionedWindow read = children.get(child);
                if (read != null) {
                    toClear.add(read);
                } else {
                    counters.kept.incrementAndGet();
                }
            }
        }
    }

    private Map<UsageKey, VersionedWindow> readChildren(RollupPlan.Scan scan) {
        Map<UsageKey, VersionedWindow> children = new HashMap<>();
        for (VersionedWindow child : children(scan)) {
            children.put(child.key(), child);
        }
        return children;
    }

    private List<VersionedWindow> children(RollupPlan.Scan scan) {
        return reader.all(scan.tenant(), scan.childGranularity(), scan.childrenFrom(), scan.childrenTo());
    }

    private static String versionAttribute(Granularity granularity) {
        return granularity == Granularity.MINUTE ? "ver" : SOURCE_VERSION;
    }

    private enum Outcome { WRITTEN, UP_TO_DATE, SUPERSEDED }

    private Outcome write(VersionedWindow parent) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>(codec.encode(parent.key(), parent.totals()));
        attributes.put(SOURCE_VERSION, AttributeValue.fromN(Long.toString(parent.version())));
        if (parent.key().granularity().coarser() != null) {
            attributes.putAll(UsageDirtyMarks.mark(parent.key()));
        }
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        StringBuilder set = new StringBuilder("SET ");
        int i = 0;
        for (Map.Entry<String, AttributeValue> attribute : attributes.entrySet()) {
            names.put("#a" + i, attribute.getKey());
            values.put(":a" + i, attribute.getValue());
            set.append(i == 0 ? "" : ", ").append("#a").append(i).append(" = :a").append(i);
            i++;
        }
        names.put("#sv", SOURCE_VERSION);
        values.put(":sv", AttributeValue.fromN(Long.toString(parent.version())));
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(codec.key(parent.key()))
                    .updateExpression(set.toString())
                    .conditionExpression("attribute_not_exists(#sv) OR #sv < :sv")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build());
            return Outcome.WRITTEN;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue stored = e.hasItem() ? e.item().get(SOURCE_VERSION) : null;
            if (stored != null && Long.parseLong(stored.n()) == parent.version()) {
                return Outcome.UP_TO_DATE;
            }
            return Outcome.SUPERSEDED;
        }
    }

    /** Removes a child's mark if the child is still at the version summed; false when it changed since. */
    private boolean clearMark(VersionedWindow child) {
        String versionAttribute = versionAttribute(child.key().granularity());
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(codec.key(child.key()))
                    .updateExpression("REMOVE #dp, #ds")
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#dp", UsageDirtyMarks.PARTITION, "#ds", UsageDirtyMarks.SORT,
                            "#v", versionAttribute))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(child.version()))))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        } catch (SdkException e) {
            LOG.warn("could not clear a rollup mark: {} error={}", child.key(), e.getClass().getSimpleName());
            return false;
        }
    }

    /** The number of changed windows waiting at a granularity (for tests and operators; reads the index). */
    public int pendingMarks(Granularity level) {
        return readMarks(level).size();
    }
}

package com.poolhub.metering.aws.telemetry;

import com.poolhub.metering.sla.MinerHistory;
import com.poolhub.metering.sla.Page;
import com.poolhub.metering.sla.RegisteredMiner;
import com.poolhub.metering.sla.SlaWindow;
import com.poolhub.metering.sla.TelemetryHistory;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.HeartbeatReading;
import com.poolhub.metering.telemetry.MinerHour;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link TelemetryHistory} on the telemetry table. A miner's history is one Query, newest hour
 * first, sized to the window plus two items, so it usually also returns the hour before the window
 * that carries the miner's GPU count in; it pages further back only while that is still missing.
 * Fingerprints are not read.
 */
public final class DynamoTelemetryHistory implements TelemetryHistory {
    private static final String PROJECTION;
    private static final Map<String, String> NAMES = new HashMap<>();

    static {
        StringBuilder projection = new StringBuilder();
        List<String> attributes = MinerHourCodec.READ_ATTRIBUTES;
        for (int i = 0; i < attributes.size(); i++) {
            NAMES.put("#p" + i, attributes.get(i));
            projection.append(i == 0 ? "" : ",").append("#p").append(i);
        }
        PROJECTION = projection.toString();
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final MinerRegistry registry;
    private final MinerHourCodec codec;
    private final BucketGrid grid;

    public DynamoTelemetryHistory(DynamoDbClient dynamo, String table, MinerHourCodec codec, BucketGrid grid) {
        this.dynamo = dynamo;
        this.table = table;
        this.registry = new MinerRegistry(dynamo, table);
        this.codec = codec;
        this.grid = grid;
    }

    @Override
    public Page<RegisteredMiner> miners(int limit, Map<String, String> from) {
        return registry.list(limit, from);
    }

    @Override
    public Optional<RegisteredMiner> miner(String minerId) {
        return registry.get(minerId);
    }

    @Override
    public MinerHistory history(RegisteredMiner miner, SlaWindow window) {
        boolean needsCarry = miner.firstHeartbeat() != null
                && grid.bucketOf(miner.firstHeartbeat()) < window.startBucket(grid);
        Instant firstHour = window.firstHour();
        TreeMap<Instant, MinerHour> hours = new TreeMap<>();
        HeartbeatReading carry = null;
        Map<String, AttributeValue> startKey = null;
        boolean done = false;
        while (!done) {
            Map<String, String> names = new HashMap<>(NAMES);
            QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :p AND sk <= :last")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(MinerHourCodec.partition(miner.minerId())),
                            ":last", AttributeValue.fromS(MinerHourCodec.sortKey(window.lastHour()))))
                    .projectionExpression(PROJECTION)
                    .expressionAttributeNames(names)
                    .scanIndexForward(false)
                    .limit((int) Math.min(1000, window.hours() + 2))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse response = dynamo.query(query.build());
            for (Map<String, AttributeValue> item : response.items()) {
                Instant hour = MinerHourCodec.hourOf(item.get("sk").s());
                if (!hour.isBefore(firstHour)) {
                    hours.put(hour, codec.decode(item));
                    continue;
                }
                if (needsCarry) {
                    carry = codec.decode(item).lastReading();
                }
                if (!needsCarry || carry != null || !hour.isAfter(BucketGrid.hourFloor(miner.firstHeartbeat()))) {
                    done = true;
                    break;
                }
            }
            startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
            done = done || startKey == null;
        }
        return new MinerHistory(miner.minerId(), miner.firstHeartbeat(), carry, hours);
    }
}

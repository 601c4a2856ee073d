package com.poolhub.metering.aws.sla;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.sla.BurnAlertStore;
import com.poolhub.metering.sla.BurnRateAlert;
import com.poolhub.metering.sla.SlaJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link BurnAlertStore} on the SLA table: one item per slot, {@code pk = BURN_ALERTS},
 * {@code sk = minerId#METRIC#RULE}, with the episode in {@code doc}, its {@code episodeId} and
 * {@code state} as attributes for the conditions, {@code pending} while its state is unannounced, and a
 * TTL of the SLA retention after the last change (a slot left firing by a miner that is gone expires).
 * Every collection reads the partition once (only slots with an episode are in it).
 */
public final class DynamoBurnAlertStore implements BurnAlertStore {
    static final String PK = "BURN_ALERTS";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoBurnAlertStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    @Override
    public List<BurnRateAlert> stored() {
        return query(QueryRequest.builder().tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(PK))).consistentRead(true));
    }

    @Override
    public List<BurnRateAlert> storedFor(String minerId) {
        return query(QueryRequest.builder().tableName(table).keyConditionExpression("pk = :p AND begins_with(sk, :m)")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(PK), ":m", AttributeValue.fromS(minerId + "#")))
                .consistentRead(true));
    }

    @Override
    public boolean open(BurnRateAlert alert) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(alert)).conditionExpression("attribute_not_exists(pk)")
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException slotTaken) {
            return false;
        }
    }

    @Override
    public boolean resolve(BurnRateAlert resolved) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(resolved))
                    .conditionExpression("episodeId = :e AND #s = :firing")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(resolved.episodeId()),
                            ":firing", AttributeValue.fromS(BurnRateAlert.State.FIRING.name())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException notFiring) {
            return false;
        }
    }

    @Override
    public void announced(BurnRateAlert alert) {
        Map<String, AttributeValue> values = Map.of(":e", AttributeValue.fromS(alert.episodeId()),
                ":s", AttributeValue.fromS(alert.state().name()));
        try {
            if (alert.state() == BurnRateAlert.State.RESOLVED) {
                dynamo.deleteItem(b -> b.tableName(table).key(key(alert)).conditionExpression("episodeId = :e AND #s = :s")
                        .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(values)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            } else {
                dynamo.updateItem(b -> b.tableName(table).key(key(alert)).updateExpression("REMOVE pending")
                        .conditionExpression("episodeId = :e AND #s = :s")
                        .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(values)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            }
        } catch (ConditionalCheckFailedException movedOn) {
            // another collection resolved or replaced the episode meanwhile; its own state is pending there
        }
    }

    private List<BurnRateAlert> query(QueryRequest.Builder request) {
        List<BurnRateAlert> alerts = new ArrayList<>();
        dynamo.queryPaginator(request.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).items()
                .forEach(item -> alerts.add(SlaJson.burnRateAlert(doc(item), item.containsKey("pending"))));
        return alerts;
    }

    private Map<String, AttributeValue> item(BurnRateAlert alert) {
        Map<String, AttributeValue> item = new HashMap<>(key(alert));
        item.put("episodeId", AttributeValue.fromS(alert.episodeId()));
        item.put("state", AttributeValue.fromS(alert.state().name()));
        item.put("doc", AttributeValue.fromS(SlaJson.burnRateAlert(alert).toString()));
        if (alert.pending()) {
            item.put("pending", AttributeValue.fromBool(true));
        }
        Instant changed = alert.resolvedAt() != null ? alert.resolvedAt() : alert.openedAt();
        item.put("ttl", AttributeValue.fromN(Long.toString(changed.plus(retention).getEpochSecond())));
        return item;
    }

    private static Map<String, AttributeValue> key(BurnRateAlert alert) {
        return Map.of("pk", AttributeValue.fromS(PK),
                "sk", AttributeValue.fromS(alert.minerId() + "#" + alert.metric() + "#" + alert.rule()));
    }

    private static JsonNode doc(Map<String, AttributeValue> item) {
        try {
            return Json.parse(item.get("doc").s());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored burn-rate alert is not JSON", e);
        }
    }
}

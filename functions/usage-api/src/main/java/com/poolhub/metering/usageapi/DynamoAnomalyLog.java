package com.poolhub.metering.usageapi;

import com.poolhub.metering.analytics.Anomaly;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link AnomalyLog} in the usage table: one item per tenant and day, {@code pk = tenant#ANOMALY},
 * {@code sk = yyyy-MM-dd}, created with a conditional put ({@code attribute_not_exists(pk)}) and
 * flagged {@code published} once the event went out.
 */
public final class DynamoAnomalyLog implements AnomalyLog {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoAnomalyLog(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    private static Map<String, AttributeValue> key(String tenant, Anomaly anomaly) {
        return Map.of("pk", AttributeValue.fromS(tenant + "#ANOMALY"), "sk", AttributeValue.fromS(anomaly.day().toString()));
    }

    @Override
    public Claim claim(String tenant, Anomaly anomaly) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(tenant, anomaly));
        item.put("tenant", AttributeValue.fromS(tenant));
        item.put("day", AttributeValue.fromS(anomaly.day().toString()));
        item.put("value", AttributeValue.fromN(anomaly.value().toPlainString()));
        item.put("direction", AttributeValue.fromS(anomaly.direction().name()));
        item.put("methods", AttributeValue.fromS(anomaly.methods().stream().map(Enum::name).sorted().toList().toString()));
        item.put("detectedAt", AttributeValue.fromS(clock.instant().toString()));
        item.put("published", AttributeValue.fromBool(false));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build());
            return Claim.NEW;
        } catch (ConditionalCheckFailedException exists) {
            AttributeValue published = exists.hasItem() ? exists.item().get("published") : null;
            return published != null && Boolean.TRUE.equals(published.bool()) ? Claim.PUBLISHED : Claim.UNPUBLISHED;
        }
    }

    @Override
    public void published(String tenant, Anomaly anomaly) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(tenant, anomaly))
                .updateExpression("SET published = :t, publishedAt = :at")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true),
                        ":at", AttributeValue.fromS(clock.instant().toString())))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build());
    }
}

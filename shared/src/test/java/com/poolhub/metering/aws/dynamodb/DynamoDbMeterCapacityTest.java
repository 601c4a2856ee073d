package com.poolhub.metering.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.testing.LocalDynamo;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The meter's units for requests sent through a client, by the published rules (the figures DynamoDB
 * Local reported for the same requests in the cross-check of docs/capacity-model.md).
 */
class DynamoDbMeterCapacityTest {
    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    @Test
    void plainWritesIndexEntriesShrinkingUpdatesAndReads_areChargedByThePublishedRules() {
        String table = LocalDynamo.freshTables().get(Table.USAGE);
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoDbClient dynamo = LocalDynamo.metered(meter);
        Map<String, AttributeValue> big = Map.of("pk", s("a"), "sk", s("b"), "v", s("x".repeat(1500)));
        dynamo.putItem(b -> b.tableName(table).item(big).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(2, meter.writeUnits());
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s("c"), "sk", s("d"), "dp", s("D"), "ds", s("x")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(4, meter.writeUnits(), "a new dirty-index entry is one more write");
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", s("a"), "sk", s("b"))).updateExpression("REMOVE v")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(6, meter.writeUnits(), "a shrinking update is charged by the old item");
        dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", s("c"), "sk", s("d"))).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(1, meter.readUnits());
    }

    @Test
    void aFailedConditionalWrite_isCharged_butNotCountedAsARequest() {
        String table = LocalDynamo.freshTables().get(Table.QUOTAS);
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoDbClient dynamo = LocalDynamo.metered(meter);
        Map<String, AttributeValue> item = Map.of("pk", s("a"), "sk", s("b"));
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        assertThrows(ConditionalCheckFailedException.class, () -> dynamo.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        assertEquals(2, meter.writeUnits());
        assertEquals(1, meter.requests("PutItem"), "a failed request is not counted as a request");
    }
}

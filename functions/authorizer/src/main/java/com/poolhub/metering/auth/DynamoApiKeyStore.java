package com.poolhub.metering.auth;

import com.poolhub.metering.api.Caller;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Key records in the API keys table: {@code pk = KEY#<id>}, {@code sk = KEY}, attributes {@code hash}
 * (hex SHA-256), {@code role}, {@code principal}, {@code createdAt} and {@code revokedAt}. Creation
 * and revocation are conditional on the item's existence; reads are strongly consistent so a
 * revocation takes effect on the next authorisation.
 */
public final class DynamoApiKeyStore implements ApiKeyStore {
    private static final String SK = "KEY";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoApiKeyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(ApiKeyRecord record) {
        Map<String, AttributeValue> item = new HashMap<>(key(record.id()));
        item.put("hash", s(record.hash()));
        item.put("role", s(record.role().name()));
        item.put("principal", s(record.principal()));
        item.put("createdAt", s(record.createdAt().toString()));
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<ApiKeyRecord> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue revoked = item.get("revokedAt");
        return Optional.of(new ApiKeyRecord(id, item.get("hash").s(), Caller.Role.valueOf(item.get("role").s()),
                item.get("principal").s(), Instant.parse(item.get("createdAt").s()),
                revoked == null ? null : Instant.parse(revoked.s())));
    }

    @Override
    public boolean revoke(String id, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET revokedAt = if_not_exists(revokedAt, :at)")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":at", s(at.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", s("KEY#" + id), "sk", s(SK));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}

package com.poolhub.metering.aws.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * Creates the system's tables where none exist (local runs and tests; a deployment gets them from
 * {@code template.yaml}, which declares the same keys and indexes).
 */
public final class TableProvisioner {
    private final DynamoDbClient dynamo;

    public TableProvisioner(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /** Creates every table with its local name. */
    public void createAll() {
        for (Table table : Table.values()) {
            create(table, table.localName());
        }
    }

    /** Creates each table under the name given for it; tables already there are left alone. */
    public void createAll(Map<Table, String> names) {
        names.forEach(this::create);
    }

    public void create(Table table, String name) {
        Set<String> attributes = new LinkedHashSet<>(List.of("pk", "sk"));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Table.Index index : table.indexes()) {
            attributes.add(index.partitionAttribute());
            attributes.add(index.sortAttribute());
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(KeySchemaElement.builder().attributeName(index.partitionAttribute()).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(index.sortAttribute()).keyType(KeyType.RANGE).build())
                    .projection(Projection.builder().projectionType(index.projection() == Table.Index.Projection.KEYS_ONLY
                            ? ProjectionType.KEYS_ONLY : ProjectionType.ALL).build())
                    .build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(attributes.stream().map(a -> AttributeDefinition.builder()
                        .attributeName(a).attributeType(ScalarAttributeType.S).build()).toList());
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        try {
            dynamo.createTable(request.build());
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
            dynamo.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(name)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName("ttl").enabled(true).build())
                    .build());
        } catch (ResourceInUseException alreadyThere) {
            // created before: nothing to do
        }
    }
}

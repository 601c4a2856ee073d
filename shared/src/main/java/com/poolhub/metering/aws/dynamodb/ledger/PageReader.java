package com.poolhub.metering.aws.dynamodb.ledger;

import com.poolhub.metering.aws.dynamodb.BatchReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Reads committed pages of a scope in order: one consistent Query of the small page entries
 * ({@code P#n}, naming their content item), then a consistent BatchGetItem of the contents
 * ({@code B#id}: fingerprints and partial states).
 */
final class PageReader {
    /** One committed page: its number and its content item. */
    record Page(int number, Map<String, AttributeValue> content) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final BatchReader contents;

    PageReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.contents = new BatchReader(dynamo);
    }

    /** Pages {@code after + 1} to {@code upTo} (inclusive; {@link Integer#MAX_VALUE} for all), in order. */
    List<Page> read(String scope, int after, int upTo) {
        Map<Integer, String> blobs = new TreeMap<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(LedgerLayout.partition(scope)),
                                ":from", AttributeValue.fromS(LedgerLayout.pageSort(after + 1)),
                                ":to", AttributeValue.fromS(LedgerLayout.pageSort(upTo))))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build())
                .items()
                .forEach(entry -> blobs.put(LedgerLayout.pageNumber(entry.get("sk").s()),
                        entry.get(LedgerLayout.CONTENT).s()));
        if (blobs.isEmpty()) {
            return List.of();
        }
        Set<Map<String, AttributeValue>> keys = new LinkedHashSet<>();
        blobs.values().forEach(blob -> keys.add(LedgerLayout.contentKey(scope, blob)));
        BatchReader.Result read = contents.read(table, keys);
        if (!read.unprocessed().isEmpty()) {
            Exception cause = read.unprocessed().values().iterator().next();
            throw cause instanceof SdkException sdk ? sdk
                    : SdkClientException.create("ledger pages could not be read", cause);
        }
        Map<String, Map<String, AttributeValue>> byBlob = new HashMap<>();
        read.items().forEach((key, item) -> byBlob.put(key.get("sk").s(), item));
        List<Page> pages = new ArrayList<>(blobs.size());
        blobs.forEach((number, blob) -> {
            Map<String, AttributeValue> content = byBlob.get(LedgerLayout.contentSort(blob));
            if (content == null) {
                throw new IllegalStateException("page " + number + " of " + scope + " has no content " + blob);
            }
            pages.add(new Page(number, content));
        });
        return pages;
    }
}

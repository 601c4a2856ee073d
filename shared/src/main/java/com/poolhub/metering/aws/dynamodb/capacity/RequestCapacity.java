package com.poolhub.metering.aws.dynamodb.capacity;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The modelled capacity of each request, from the request and its response. Keeps a copy of every
 * item it has seen written or read whole, per table and key, which gives the old item of a write
 * and the full size of an item read through a projection; exact when every write to the tables
 * goes through the same instance since they were created empty. An item it has not seen counts as
 * absent (for writes) or as its returned size (for reads).
 */
public final class RequestCapacity {
    /** Modelled units of one request. */
    public record Units(double write, double read) {
        static final Units NONE = new Units(0, 0);
    }

    private final CapacityModel model;
    private final Map<String, Map<String, AttributeValue>> items = new ConcurrentHashMap<>();

    public RequestCapacity(CapacityModel model) {
        this.model = model;
    }

    /** The units of a request that succeeded, and the item copies brought up to date. */
    public Units succeeded(Object request, Object response) {
        if (request instanceof PutItemRequest r) {
            return new Units(put(r.tableName(), r.item(), false), 0);
        } else if (request instanceof UpdateItemRequest r) {
            return new Units(update(r.tableName(), r.key(), r.updateExpression(), r.expressionAttributeNames(),
                    r.expressionAttributeValues(), false), 0);
        } else if (request instanceof DeleteItemRequest r) {
            return new Units(delete(r.tableName(), r.key(), false), 0);
        } else if (request instanceof BatchWriteItemRequest r) {
            return new Units(batchWrite(r, (BatchWriteItemResponse) response), 0);
        } else if (request instanceof TransactWriteItemsRequest r) {
            double units = 0;
            for (TransactWriteItem action : r.transactItems()) {
                units += transactional(action);
            }
            return new Units(units, 0);
        } else if (request instanceof GetItemRequest r) {
            GetItemResponse got = (GetItemResponse) response;
            long size = got.hasItem() && !got.item().isEmpty() ? readSize(r.tableName(), got.item(), whole(r.projectionExpression())) : 0;
            return new Units(0, CapacityModel.read(size, Boolean.TRUE.equals(r.consistentRead()), false));
        } else if (request instanceof BatchGetItemRequest r) {
            return new Units(0, batchGet(r, (BatchGetItemResponse) response));
        } else if (request instanceof QueryRequest r) {
            return new Units(0, query(r, (QueryResponse) response));
        }
        return Units.NONE;
    }

    /** The units of a single-item conditional write whose condition failed: the existing item's size. */
    public Units conditionFailed(Object request) {
        Map<String, AttributeValue> key = null;
        String table = null;
        if (request instanceof PutItemRequest r) {
            table = r.tableName();
            key = keyOf(r.item());
        } else if (request instanceof UpdateItemRequest r) {
            table = r.tableName();
            key = r.key();
        } else if (request instanceof DeleteItemRequest r) {
            table = r.tableName();
            key = r.key();
        }
        return key == null ? Units.NONE : new Units(model.failedWrite(items.get(id(table, key)), false), 0);
    }

    private double transactional(TransactWriteItem action) {
        if (action.put() != null) {
            return put(action.put().tableName(), action.put().item(), true);
        } else if (action.update() != null) {
            var u = action.update();
            return update(u.tableName(), u.key(), u.updateExpression(), u.expressionAttributeNames(),
                    u.expressionAttributeValues(), true);
        } else if (action.delete() != null) {
            return delete(action.delete().tableName(), action.delete().key(), true);
        } else if (action.conditionCheck() != null) {
            var check = action.conditionCheck();
            return model.failedWrite(items.get(id(check.tableName(), check.key())), true);
        }
        return 0;
    }

    private double put(String table, Map<String, AttributeValue> item, boolean transactional) {
        Map<String, AttributeValue> before = items.put(id(table, keyOf(item)), Map.copyOf(item));
        return model.write(table, before, item, transactional);
    }

    private double update(String table, Map<String, AttributeValue> key, String expression, Map<String, String> names,
                          Map<String, AttributeValue> values, boolean transactional) {
        String id = id(table, key);
        Map<String, AttributeValue> before = items.get(id);
        Map<String, AttributeValue> after = UpdateExpressions.apply(before, key, expression, names, values);
        items.put(id, Map.copyOf(after));
        return model.write(table, before, after, transactional);
    }

    private double delete(String table, Map<String, AttributeValue> key, boolean transactional) {
        return model.write(table, items.remove(id(table, key)), null, transactional);
    }

    private double batchWrite(BatchWriteItemRequest request, BatchWriteItemResponse response) {
        double units = 0;
        for (Map.Entry<String, List<WriteRequest>> table : request.requestItems().entrySet()) {
            List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(table.getKey(), List.of()) : List.of();
            for (WriteRequest write : table.getValue()) {
                if (unprocessed.contains(write)) {
                    continue;
                }
                units += write.putRequest() != null ? put(table.getKey(), write.putRequest().item(), false)
                        : delete(table.getKey(), write.deleteRequest().key(), false);
            }
        }
        return units;
    }

    private double batchGet(BatchGetItemRequest request, BatchGetItemResponse response) {
        double units = 0;
        for (Map.Entry<String, KeysAndAttributes> table : request.requestItems().entrySet()) {
            KeysAndAttributes asked = table.getValue();
            boolean consistent = Boolean.TRUE.equals(asked.consistentRead());
            List<Map<String, AttributeValue>> found = response.responses().getOrDefault(table.getKey(), List.of());
            KeysAndAttributes left = response.unprocessedKeys().get(table.getKey());
            int processed = asked.keys().size() - (left == null ? 0 : left.keys().size());
            for (Map<String, AttributeValue> item : found) {
                units += CapacityModel.read(readSize(table.getKey(), item, whole(asked.projectionExpression())), consistent, false);
            }
            // a requested key with no item still costs the minimum read
            units += Math.max(0, processed - found.size()) * CapacityModel.read(0, consistent, false);
        }
        return units;
    }

    private double query(QueryRequest request, QueryResponse response) {
        long bytes = 0;
        boolean onIndex = request.indexName() != null;
        for (Map<String, AttributeValue> item : response.items()) {
            // an index query reads the index entries it returns; a table query reads whole items
            bytes += onIndex ? ItemSize.of(item)
                    : readSize(request.tableName(), item, whole(request.projectionExpression()) && request.select() == null);
        }
        return CapacityModel.read(bytes, Boolean.TRUE.equals(request.consistentRead()), false);
    }

    /** The whole item's size: the known copy when the response holds only a projection. */
    private long readSize(String table, Map<String, AttributeValue> returned, boolean whole) {
        Map<String, AttributeValue> key = keyOf(returned);
        if (key.size() < CapacityModel.tableKey().size()) {
            return ItemSize.of(returned);
        }
        String id = id(table, key);
        if (whole) {
            items.put(id, Map.copyOf(returned));
            return ItemSize.of(returned);
        }
        Map<String, AttributeValue> known = items.get(id);
        return known == null ? ItemSize.of(returned) : ItemSize.of(known);
    }

    private static boolean whole(String projection) {
        return projection == null || projection.isBlank();
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new java.util.HashMap<>();
        for (String name : CapacityModel.tableKey()) {
            if (item.containsKey(name)) {
                key.put(name, item.get(name));
            }
        }
        return key;
    }

    private static String id(String table, Map<String, AttributeValue> key) {
        StringBuilder id = new StringBuilder(table);
        for (String name : CapacityModel.tableKey()) {
            AttributeValue value = key.get(name);
            id.append('\u0000').append(value == null ? "" : value.toString());
        }
        return id.toString();
    }
}

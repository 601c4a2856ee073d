package com.poolhub.metering.aws.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts DynamoDB requests per operation and the capacity units the responses report, as an SDK
 * interceptor. Used by the benchmarks and for per-invocation metrics; requests must ask for
 * {@code ReturnConsumedCapacity.TOTAL} for their units to be counted.
 */
public final class DynamoDbMeter implements ExecutionInterceptor {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
        Object response = context.response();
        if (response instanceof UpdateItemResponse r) {
            addWrite(r.consumedCapacity());
        } else if (response instanceof PutItemResponse r) {
            addWrite(r.consumedCapacity());
        } else if (response instanceof DeleteItemResponse r) {
            addWrite(r.consumedCapacity());
        } else if (response instanceof BatchWriteItemResponse r && r.hasConsumedCapacity()) {
            r.consumedCapacity().forEach(this::addWrite);
        } else if (response instanceof TransactWriteItemsResponse r && r.hasConsumedCapacity()) {
            r.consumedCapacity().forEach(this::addWrite);
        } else if (response instanceof GetItemResponse r) {
            addRead(r.consumedCapacity());
        } else if (response instanceof BatchGetItemResponse r && r.hasConsumedCapacity()) {
            r.consumedCapacity().forEach(this::addRead);
        } else if (response instanceof QueryResponse r) {
            addRead(r.consumedCapacity());
        }
    }

    private void addWrite(ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            writeUnits.add(capacity.capacityUnits());
        }
    }

    private void addRead(ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            readUnits.add(capacity.capacityUnits());
        }
    }

    /** Requests per operation name, sorted by name. */
    public Map<String, Long> requests() {
        Map<String, Long> copy = new TreeMap<>();
        requests.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public long totalRequests() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long requests(String operation) {
        LongAdder adder = requests.get(operation);
        return adder == null ? 0 : adder.sum();
    }

    public double writeUnits() {
        return writeUnits.sum();
    }

    public double readUnits() {
        return readUnits.sum();
    }

    public void reset() {
        requests.clear();
        writeUnits.reset();
        readUnits.reset();
    }
}

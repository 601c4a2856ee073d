package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.aws.dynamodb.capacity.CapacityModel;
import com.poolhub.metering.aws.dynamodb.capacity.RequestCapacity;
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
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts DynamoDB requests per operation and their capacity units, as an SDK interceptor. The units
 * are modelled from the requests and responses by DynamoDB's published rules ({@link CapacityModel},
 * which does not depend on what the backend reports); the units the backend itself reports in
 * {@code ConsumedCapacity} are kept beside them, for requests that ask for
 * {@code ReturnConsumedCapacity.TOTAL}. Reads are those of GetItem, BatchGetItem and Query (not Scan);
 * a conditional write whose condition fails is charged but not counted as a request.
 */
public final class DynamoDbMeter implements ExecutionInterceptor {
    /** Modelled and reported units of one operation. */
    public record OperationUnits(double modelWrite, double modelRead, double reportedWrite, double reportedRead) {
    }

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> conditionFailures = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder[]> units = new ConcurrentHashMap<>();
    private final LongAdder unmodelled = new LongAdder();
    private final RequestCapacity capacity = new RequestCapacity(CapacityModel.forProjectTables());
    private volatile boolean reported;

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
        Object response = context.response();
        if (response instanceof UpdateItemResponse r) {
            addReported(operation, r.consumedCapacity(), true);
        } else if (response instanceof PutItemResponse r) {
            addReported(operation, r.consumedCapacity(), true);
        } else if (response instanceof DeleteItemResponse r) {
            addReported(operation, r.consumedCapacity(), true);
        } else if (response instanceof BatchWriteItemResponse r && r.hasConsumedCapacity()) {
            r.consumedCapacity().forEach(c -> addReported(operation, c, true));
        } else if (response instanceof TransactWriteItemsResponse r && r.hasConsumedCapacity()) {
            r.consumedCapacity().forEach(c -> addReported(operation, c, true));
        } else if (response instanceof GetItemResponse r) {
            addReported(operation, r.consumedCapacity(), false);
        } else if (response instanceof BatchGetItemResponse r && r.hasConsumedCapacity()) {
            r.consumedCapacity().forEach(c -> addReported(operation, c, false));
        } else if (response instanceof QueryResponse r) {
            addReported(operation, r.consumedCapacity(), false);
        }
        try {
            addModelled(operation, capacity.succeeded(context.request(), response));
        } catch (RuntimeException unsupported) {
            unmodelled.increment();
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof ConditionalCheckFailedException) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            conditionFailures.computeIfAbsent(operation, k -> new LongAdder()).increment();
            addModelled(operation, capacity.conditionFailed(context.request()));
        }
    }

    private DoubleAdder[] of(String operation) {
        return units.computeIfAbsent(operation, k -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder(),
                new DoubleAdder(), new DoubleAdder()});
    }

    private void addModelled(String operation, RequestCapacity.Units modelled) {
        DoubleAdder[] adders = of(operation);
        adders[0].add(modelled.write());
        adders[1].add(modelled.read());
    }

    private void addReported(String operation, ConsumedCapacity consumed, boolean write) {
        if (consumed != null && consumed.capacityUnits() != null) {
            reported = true;
            of(operation)[write ? 2 : 3].add(consumed.capacityUnits());
        }
    }

    /** Requests per operation name, sorted by name. */
    public Map<String, Long> requests() {
        Map<String, Long> copy = new TreeMap<>();
        requests.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Conditional writes whose condition failed, per operation name, sorted by name (not in {@link #requests()}). */
    public Map<String, Long> conditionFailures() {
        Map<String, Long> copy = new TreeMap<>();
        conditionFailures.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public long totalRequests() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long requests(String operation) {
        LongAdder adder = requests.get(operation);
        return adder == null ? 0 : adder.sum();
    }

    /** Modelled write units. */
    public double writeUnits() {
        return sum(0);
    }

    /** Modelled read units. */
    public double readUnits() {
        return sum(1);
    }

    /** Write units the backend reported in {@code ConsumedCapacity}. */
    public double reportedWriteUnits() {
        return sum(2);
    }

    /** Read units the backend reported in {@code ConsumedCapacity}. */
    public double reportedReadUnits() {
        return sum(3);
    }

    /** Whether any response carried a {@code ConsumedCapacity} since the meter was made. */
    public boolean backendReported() {
        return reported;
    }

    /** Successful requests the model could not price (an update expression it does not cover). */
    public long unmodelledRequests() {
        return unmodelled.sum();
    }

    /** Modelled and reported units per operation, sorted by name. */
    public Map<String, OperationUnits> byOperation() {
        Map<String, OperationUnits> copy = new TreeMap<>();
        units.forEach((k, v) -> copy.put(k, new OperationUnits(v[0].sum(), v[1].sum(), v[2].sum(), v[3].sum())));
        return copy;
    }

    private double sum(int index) {
        return units.values().stream().mapToDouble(v -> v[index].sum()).sum();
    }

    /** Clears the counts; the copies of the items seen stay, since they mirror the tables' contents. */
    public void reset() {
        requests.clear();
        conditionFailures.clear();
        units.clear();
        unmodelled.reset();
    }
}

package com.poolhub.metering.testing;

import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.TableProvisioner;
import com.poolhub.metering.local.LocalAws;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Test access to the local DynamoDB backend (moto by default, LocalStack when
 * selected): clients with optional interceptors, and a fresh set of uniquely named tables per test.
 */
public final class LocalDynamo {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private LocalDynamo() {
    }

    /** A client for the local backend, with optional interceptors. */
    public static DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return LocalAws.dynamoDb(LocalAws.dynamoDbEndpoint(), interceptors);
    }

    /** A client that counts requests and capacity units into the meter. */
    public static DynamoDbClient metered(DynamoDbMeter meter) {
        return client(meter);
    }

    /** Creates every table under a name unique to this call and returns the names. */
    public static Map<Table, String> freshTables() {
        int n = SEQUENCE.incrementAndGet();
        String suffix = "-t" + ProcessHandle.current().pid() + "-" + n;
        Map<Table, String> names = new EnumMap<>(Table.class);
        for (Table table : Table.values()) {
            names.put(table, table.localName() + suffix);
        }
        try (DynamoDbClient dynamo = client()) {
            new TableProvisioner(dynamo).createAll(names);
        }
        return names;
    }
}

package com.poolhub.metering.hardening.support;

import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.RecordingPublisher;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a function needs to run in-process against the local emulators: fresh tables on the DynamoDB
 * emulator, a client (optionally with SDK interceptors that inject faults), a recording event publisher
 * and a clock the test moves.
 */
public record LocalStack(Map<Table, String> tables, DynamoDbClient dynamo, RecordingPublisher publisher,
                         MutableClock clock) {

    public static final String NOW = "2026-11-22T12:00:00Z";

    /** Fresh tables and a plain client. */
    public static LocalStack fresh(ExecutionInterceptor... interceptors) {
        return new LocalStack(LocalDynamo.freshTables(), LocalDynamo.client(interceptors), new RecordingPublisher(),
                MutableClock.at(NOW));
    }

    /** The same tables seen through another client (e.g. one that crashes at a chosen write). */
    public LocalStack withClient(DynamoDbClient other) {
        return new LocalStack(tables, other, publisher, clock);
    }

    public String table(Table table) {
        return tables.get(table);
    }

    /** An environment naming these tables (and a bus), as a deployed function would see it. */
    public Env env() {
        Map<String, String> values = new HashMap<>();
        tables.forEach((table, name) -> values.put(table.variable(), name));
        values.put("EVENT_BUS_NAME", "poolhub");
        return new Env(values);
    }
}

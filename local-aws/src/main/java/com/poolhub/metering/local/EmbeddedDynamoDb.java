package com.poolhub.metering.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import java.time.Duration;

/**
 * DynamoDB Local running in this JVM, in memory, on a loopback port. It speaks the real DynamoDB
 * HTTP protocol, validates expressions like the service and reports ConsumedCapacity, so write units
 * measured against it are meaningful.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private static EmbeddedDynamoDb shared;

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private EmbeddedDynamoDb(int port) {
        try {
            this.server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
        FreePorts.awaitListening(port, Duration.ofSeconds(30));
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /** Starts a new in-memory instance on a free port. */
    public static EmbeddedDynamoDb start() {
        return new EmbeddedDynamoDb(FreePorts.next());
    }

    /** Starts a new in-memory instance on the given port. */
    public static EmbeddedDynamoDb start(int port) {
        return new EmbeddedDynamoDb(port);
    }

    /** One instance per JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedDynamoDb shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "dynamodb-local-stop"));
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // best effort at shutdown
        }
    }
}

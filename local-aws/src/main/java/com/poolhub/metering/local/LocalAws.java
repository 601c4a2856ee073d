package com.poolhub.metering.local;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;

/**
 * The local AWS backend the tests and the local runner talk to. By default the emulators run on
 * this machine with no Docker: moto in server mode under Python 3 for DynamoDB ({@link MotoServer})
 * and kinesis-mock under Node.js for Kinesis ({@link KinesisMock}), each a child process shared by
 * the JVM and installed on first use when missing. Set the
 * system property {@code poolhub.aws.backend} (or the variable {@code POOLHUB_AWS_BACKEND}) to
 * {@code localstack} to run the same code against LocalStack started by Testcontainers. EventBridge,
 * SQS, Secrets Manager and Timestream Write are always served by the moto server (moto serves every
 * service on its one port): a rule on a bus delivers to an SQS queue there, as {@link BusSubscription}
 * reads it.
 */
public final class LocalAws {
    /** Streams every backend creates: name and shard count. */
    public static final String[] STREAMS = {"usage-events:2", "miner-telemetry:2"};

    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("local", "local");

    private LocalAws() {
    }

    /** Which backend is selected. */
    public static boolean useLocalStack() {
        String value = System.getProperty("poolhub.aws.backend", System.getenv("POOLHUB_AWS_BACKEND"));
        return "localstack".equalsIgnoreCase(value);
    }

    /** The DynamoDB endpoint of the selected backend, started on first use. */
    public static URI dynamoDbEndpoint() {
        return useLocalStack() ? LocalStackBackend.shared().endpoint() : MotoServer.shared().endpoint();
    }

    /** The Kinesis endpoint of the selected backend, started on first use. */
    public static URI kinesisEndpoint() {
        return useLocalStack() ? LocalStackBackend.shared().endpoint() : KinesisMock.shared(STREAMS).endpoint();
    }

    /**
     * The endpoint of the moto server serving EventBridge, SQS, Secrets Manager and Timestream Write
     * (one port for every service), started on first use.
     */
    public static URI motoEndpoint() {
        return MotoServer.shared().endpoint();
    }

    /** Whether the Kinesis backend can run on this machine. */
    public static boolean kinesisAvailable() {
        return useLocalStack() ? LocalStackBackend.dockerAvailable() : KinesisMock.nodeAvailable();
    }

    /** A DynamoDB client for the selected backend. */
    public static DynamoDbClient dynamoDb() {
        return dynamoDb(dynamoDbEndpoint());
    }

    /**
     * A DynamoDB client for an endpoint, with local credentials, a light HTTP client, the same
     * bounded retries as the functions, and optional interceptors (meters, fault injectors).
     */
    public static DynamoDbClient dynamoDb(URI endpoint, ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder config = ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(60))
                .retryStrategy(retry -> retry.maxAttempts(4));
        for (ExecutionInterceptor interceptor : interceptors) {
            config.addExecutionInterceptor(interceptor);
        }
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .overrideConfiguration(config.build())
                .build();
    }

    /** A Kinesis client for the selected backend (JSON protocol, as kinesis-mock prefers over plain HTTP). */
    public static KinesisClient kinesis() {
        System.setProperty("aws.cborEnabled", "false");
        return KinesisClient.builder()
                .endpointOverride(kinesisEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    /** An EventBridge client for an endpoint (the moto server, or a fault proxy in front of it). */
    public static EventBridgeClient eventBridge(URI endpoint) {
        return local(EventBridgeClient.builder(), endpoint).build();
    }

    /** An EventBridge client for the moto server. */
    public static EventBridgeClient eventBridge() {
        return eventBridge(motoEndpoint());
    }

    /** An SQS client for the moto server. */
    public static SqsClient sqs() {
        return sqs(motoEndpoint());
    }

    /** An SQS client for an endpoint (a moto server). */
    public static SqsClient sqs(URI endpoint) {
        return local(SqsClient.builder(), endpoint).build();
    }

    /** A Secrets Manager client for the moto server. */
    public static SecretsManagerClient secretsManager() {
        return secretsManager(motoEndpoint());
    }

    /** A Secrets Manager client for an endpoint (a moto server). */
    public static SecretsManagerClient secretsManager(URI endpoint) {
        return local(SecretsManagerClient.builder(), endpoint).build();
    }

    /** A Timestream Write client for the moto server (endpoint discovery off, as with any override). */
    public static TimestreamWriteClient timestreamWrite() {
        return local(TimestreamWriteClient.builder(), motoEndpoint()).endpointDiscoveryEnabled(false).build();
    }

    /** A client builder pointed at a local endpoint, with local credentials and a light HTTP client. */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B local(B builder, URI endpoint) {
        builder.endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS));
        return builder.httpClient(UrlConnectionHttpClient.create());
    }
}

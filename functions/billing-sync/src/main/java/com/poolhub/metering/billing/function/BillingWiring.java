package com.poolhub.metering.billing.function;

import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.billing.BillingSync;
import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.billing.Sleeper;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.billing.aws.DynamoHourlyUsageSource;
import com.poolhub.metering.billing.aws.HttpCoordinatorBilling;
import com.poolhub.metering.billing.aws.SecretsManagerApiKey;
import com.poolhub.metering.events.EventPublisher;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Assembles the billing sync on AWS, the same way for the Lambda and the tests. */
public final class BillingWiring {
    private BillingWiring() {
    }

    /** A Secrets Manager client on the shared light HTTP client, honouring endpoint overrides. */
    public static SecretsManagerClient secretsManager() {
        var builder = SecretsManagerClient.builder().httpClient(AwsClients.http());
        AwsClients.endpoint("AWS_ENDPOINT_URL_SECRETS_MANAGER").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static BillingSync sync(BillingConfig config, DynamoDbClient dynamo, SecretsManagerClient secrets,
                                   HttpClient http, EventPublisher events, Sleeper sleeper, Clock clock) {
        CachedApiKey apiKey = new CachedApiKey(new SecretsManagerApiKey(secrets, config.apiKeySecret()),
                config.apiKeyTtl(), clock);
        return new BillingSync(new DynamoHourlyUsageSource(dynamo, config.usageTable()),
                new DynamoBillingRecordStore(dynamo, config.billingTable()),
                new HttpCoordinatorBilling(config.coordinatorUrl(), apiKey, http, config.requestTimeout()),
                events, config.sync(), sleeper, new SecureRandom(), clock);
    }

    /** The coordinator HTTP client: 2 s to connect; each request has its own timeout. */
    public static HttpClient coordinatorHttp() {
        return HttpCoordinatorBilling.client(Duration.ofSeconds(2));
    }
}

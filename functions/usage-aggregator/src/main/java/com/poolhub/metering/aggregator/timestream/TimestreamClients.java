package com.poolhub.metering.aggregator.timestream;

import com.poolhub.metering.aws.AwsClients;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;

/**
 * Builds the Timestream Write client: the project's light HTTP client and standard retries (3
 * attempts with backoff). With an endpoint override (a local endpoint, a VPC endpoint) endpoint
 * discovery is switched off, as the service requires.
 */
public final class TimestreamClients {
    private TimestreamClients() {
    }

    public static TimestreamWriteClient write(Optional<URI> endpointOverride) {
        var builder = TimestreamWriteClient.builder()
                .httpClient(AwsClients.http())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build());
        endpointOverride.ifPresent(endpoint -> builder.endpointDiscoveryEnabled(false).endpointOverride(endpoint));
        return builder.build();
    }
}

package com.poolhub.metering.testing;

import com.poolhub.metering.local.LocalEventBridge;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** An EventBridge client pointed at a {@link LocalEventBridge}, for tests. */
public final class LocalEventBridgeClient {
    private LocalEventBridgeClient() {
    }

    public static EventBridgeClient of(LocalEventBridge bus) {
        return EventBridgeClient.builder().endpointOverride(bus.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}

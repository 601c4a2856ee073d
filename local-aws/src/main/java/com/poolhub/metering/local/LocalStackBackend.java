package com.poolhub.metering.local;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a container started by Testcontainers: the opt-in backend for machines that have a
 * Docker engine. LocalStack reads {@code LOCALSTACK_AUTH_TOKEN} from the environment.
 */
final class LocalStackBackend {
    private static LocalStackBackend shared;
    private final LocalStackContainer container;

    private LocalStackBackend() {
        container = new LocalStackContainer(DockerImageName.parse(
                System.getProperty("localstack.image", "localstack/localstack:4")))
                .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.KINESIS)
                .withEnv("LOCALSTACK_AUTH_TOKEN", System.getenv().getOrDefault("LOCALSTACK_AUTH_TOKEN", ""));
        container.start();
        for (String stream : LocalAws.STREAMS) {
            String[] parts = stream.split(":");
            try {
                container.execInContainer("awslocal", "kinesis", "create-stream", "--stream-name", parts[0],
                        "--shard-count", parts[1]);
            } catch (Exception e) {
                throw new IllegalStateException("could not create stream " + parts[0] + " in LocalStack", e);
            }
        }
    }

    static synchronized LocalStackBackend shared() {
        if (!dockerAvailable()) {
            throw new IllegalStateException("poolhub.aws.backend=localstack needs a Docker engine, and none answers");
        }
        if (shared == null) {
            shared = new LocalStackBackend();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.container::stop, "localstack-stop"));
        }
        return shared;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | NoClassDefFoundError e) {
            return false;
        }
    }

    URI endpoint() {
        return container.getEndpoint();
    }
}

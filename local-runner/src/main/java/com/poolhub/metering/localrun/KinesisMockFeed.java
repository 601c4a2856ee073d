package com.poolhub.metering.localrun;

import com.poolhub.metering.aws.Workers;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.local.KinesisEventSource;
import com.poolhub.metering.local.KinesisMock;
import com.poolhub.metering.local.LocalAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The template's Kinesis sources fed from kinesis-mock instead of the in-process streams: each
 * source polls its stream ({@code UsageEventsStream} is {@code usage-events}) with the local event
 * source, which hands batches to the function and re-reads from the first batch item failure.
 */
public final class KinesisMockFeed implements AutoCloseable {
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Workers.daemon("kinesis-mock-feed"));
    private final String endpoint;
    private final List<java.util.function.IntSupplier> polls = new ArrayList<>();
    private final Consumer<String> log;

    private KinesisMockFeed(LocalSystem system, Consumer<String> log) {
        this.log = log;
        KinesisMock mock = KinesisMock.shared(LocalAws.STREAMS);
        this.endpoint = mock.endpoint().toString();
        KinesisClient kinesis = LocalAws.kinesis();
        for (LocalStreams.Source source : system.streams().sources()) {
            HostedFunction function = system.function(source.function()).orElse(null);
            if (function == null) {
                continue;
            }
            String stream = streamName(source.stream());
            KinesisEventSource events = new KinesisEventSource(kinesis, stream, source.batchSize());
            polls.add(() -> {
                int delivered = events.poll(event -> function.invoke(event, StreamsEventResponse.class));
                if (delivered > 0) {
                    log.accept(stream + ": " + delivered + " records to " + source.function());
                }
                return delivered;
            });
        }
    }

    /** Reads every stream once from its checkpoint; returns the records delivered. */
    public int pollOnce() {
        int delivered = 0;
        for (java.util.function.IntSupplier poll : polls) {
            try {
                delivered += poll.getAsInt();
            } catch (RuntimeException e) {
                log.accept("kinesis-mock poll failed: " + e.getMessage());
            }
        }
        return delivered;
    }

    /** Polls every second until closed, as the event source mapping would. */
    public KinesisMockFeed startPolling() {
        poller.scheduleWithFixedDelay(this::pollOnce, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** Starts kinesis-mock (installed with npm on first use) and polls every stream the template reads. */
    public static KinesisMockFeed start(LocalSystem system, Consumer<String> log) {
        return new KinesisMockFeed(system, log);
    }

    public String endpoint() {
        return endpoint;
    }

    /** {@code UsageEventsStream -> usage-events}: the stream names kinesis-mock creates. */
    static String streamName(String logicalId) {
        return logicalId.replaceAll("Stream$", "").replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}

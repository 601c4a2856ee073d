package com.poolhub.metering.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A subscriber on a moto EventBridge bus: an SQS queue and a rule with an event pattern whose target
 * is the queue, as a consumer of the bus would set them up. It reads what the rule delivered and
 * decodes the EventBridge envelope (source, detail-type, time, detail). moto delivers inside the
 * PutEvents call, so once a publisher's call has returned its matching events are in the queue;
 * {@link #drain()} reads until the queue stays empty for a short wait.
 */
public final class BusSubscription implements AutoCloseable {
    /** The catch-all pattern: every event on the bus (every event has a source). */
    public static final String EVERY_EVENT = "{\"source\":[{\"prefix\":\"\"}]}";

    /** One event as the subscriber receives it: the envelope's fields and the whole envelope. */
    public record Event(String id, String source, String detailType, Instant time, JsonNode detail, JsonNode envelope) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long QUIET_MILLIS = 100;

    private final EventBridgeClient events;
    private final SqsClient sqs;
    private final String busName;
    private final String ruleName;
    private final String queueUrl;
    private final String queueArn;
    private final List<Event> received = new CopyOnWriteArrayList<>();

    private BusSubscription(URI moto, String busName, String eventPattern) {
        this.events = LocalAws.eventBridge(moto);
        this.sqs = LocalAws.sqs(moto);
        this.busName = busName;
        String name = "sub-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        this.ruleName = name;
        this.queueUrl = sqs.createQueue(q -> q.queueName(name)).queueUrl();
        this.queueArn = sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(r -> r.name(ruleName).eventBusName(busName).eventPattern(eventPattern));
        events.putTargets(t -> t.rule(ruleName).eventBusName(busName).targets(Target.builder().id("queue").arn(queueArn).build()));
    }

    /** Subscribes to the events of {@code busName} (created when missing) matching an event pattern. */
    public static BusSubscription to(String busName, String eventPattern) {
        return to(LocalAws.motoEndpoint(), busName, eventPattern);
    }

    /** The same on the moto server at {@code moto} (one of its own, as the local runner starts). */
    public static BusSubscription to(URI moto, String busName, String eventPattern) {
        createBus(moto, busName);
        return new BusSubscription(moto, busName, eventPattern);
    }

    /** Subscribes to every event of {@code busName} (created when missing). */
    public static BusSubscription toEverything(String busName) {
        return to(busName, EVERY_EVENT);
    }

    /** Subscribes to every event of {@code busName} on the moto server at {@code moto}. */
    public static BusSubscription toEverything(URI moto, String busName) {
        return to(moto, busName, EVERY_EVENT);
    }

    /** Subscribes to the events of one detail-type from the project's source. */
    public static BusSubscription toDetailType(String busName, String detailType) {
        return to(busName, "{\"source\":[\"poolhub\"],\"detail-type\":[" + quoted(detailType) + "]}");
    }

    /** Creates a bus on the moto server unless it exists. */
    public static void createBus(String busName) {
        createBus(LocalAws.motoEndpoint(), busName);
    }

    /** Creates a bus on the moto server at {@code moto} unless it exists (the default bus always does). */
    public static void createBus(URI moto, String busName) {
        if ("default".equals(busName)) {
            return;
        }
        try (EventBridgeClient client = LocalAws.eventBridge(moto)) {
            client.createEventBus(b -> b.name(busName));
        } catch (ResourceAlreadyExistsException exists) {
            // already there
        }
    }

    /** A new bus with a name of its own, so one test's events never reach another's subscriptions. */
    public static String freshBus(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        createBus(name);
        return name;
    }

    public String busName() {
        return busName;
    }

    /** The SQS queue the rule delivers to. */
    public String queueUrl() {
        return queueUrl;
    }

    /**
     * Reads the queue until it stays empty for a short wait, deleting what it read; returns the events
     * read by this call, in the order they arrived.
     */
    public List<Event> drain() {
        List<Event> read = new ArrayList<>();
        int quiet = 0;
        while (quiet < 2) {
            List<Event> batch = poll();
            if (batch.isEmpty()) {
                quiet++;
                if (quiet < 2) {
                    FreePorts.sleep(QUIET_MILLIS);
                }
                continue;
            }
            quiet = 0;
            read.addAll(batch);
        }
        return read;
    }

    /**
     * One receive of up to 10 messages without waiting (moto answers one request at a time, so a long
     * poll would hold up every other caller): the events read, deleted from the queue.
     */
    public List<Event> poll() {
        List<Event> read = new ArrayList<>();
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(0)).messages();
        for (Message message : messages) {
            read.add(decode(message.body()));
            sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
        received.addAll(read);
        return read;
    }

    /** Every event received since the subscription began or was last cleared (the queue drained first). */
    public List<Event> received() {
        drain();
        return new ArrayList<>(received);
    }

    /** The events of one detail-type received so far (the queue drained first). */
    public List<Event> received(String detailType) {
        return received().stream().filter(e -> e.detailType().equals(detailType)).toList();
    }

    /** Drains the queue and forgets everything received so far. */
    public void clear() {
        drain();
        received.clear();
    }

    /** Removes the rule and the queue. */
    @Override
    public void close() {
        try {
            events.removeTargets(r -> r.rule(ruleName).eventBusName(busName).ids("queue"));
            events.deleteRule(r -> r.name(ruleName).eventBusName(busName));
            sqs.deleteQueue(d -> d.queueUrl(queueUrl));
        } finally {
            events.close();
            sqs.close();
        }
    }

    /** Decodes an EventBridge envelope as delivered to an SQS target. */
    public static Event decode(String body) {
        try {
            JsonNode envelope = MAPPER.readTree(body);
            return new Event(envelope.path("id").asText(), envelope.path("source").asText(),
                    envelope.path("detail-type").asText(), Instant.parse(envelope.path("time").asText()),
                    envelope.path("detail"), envelope);
        } catch (IOException e) {
            throw new UncheckedIOException("not an EventBridge envelope: " + body, e);
        }
    }

    private static String quoted(String value) {
        return MAPPER.getNodeFactory().textNode(value).toString();
    }
}

package com.poolhub.metering.localrun;

import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.BusSubscription;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's {@code EventBridgeRule} events on moto's EventBridge: each becomes a rule with the
 * template's pattern on its bus, delivering to an SQS queue of its own, which is polled and each
 * event handed to the rule's function as EventBridge delivered it (the envelope from the queue),
 * asynchronously and in order, as the service invokes targets after PutEvents has answered.
 */
public final class LocalRules implements AutoCloseable {
    /** One rule: the function, the event's name, its bus and its event pattern (JSON). */
    public record Rule(String function, String name, String busName, String pattern) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalRules.class);
    private static final long POLL_MILLIS = 100;
    private static final long CLOSE_WAIT_SECONDS = 60;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<Rule, BusSubscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, HostedFunction> functions;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Workers.daemon("local-rules"));

    public LocalRules(SamTemplate template, LocalValues values, Map<String, HostedFunction> functions, URI moto) {
        this.functions = functions;
        for (SamTemplate.SamFunction function : template.functions()) {
            for (SamTemplate.SamEvent event : function.events("EventBridgeRule")) {
                Object bus = event.property("EventBusName");
                Object pattern = event.property("Pattern");
                Rule rule = new Rule(function.logicalId(), event.name(), bus == null ? "default" : values.resolve(bus),
                        Json.mapper().valueToTree(pattern == null ? Map.of() : pattern).toString());
                rules.add(rule);
                if (functions.containsKey(rule.function())) {
                    subscriptions.put(rule, BusSubscription.to(moto, rule.busName(), rule.pattern()));
                }
            }
        }
        poller.scheduleWithFixedDelay(this::pollAll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    public List<Rule> rules() {
        return rules;
    }

    private void pollAll() {
        for (Map.Entry<Rule, BusSubscription> subscription : subscriptions.entrySet()) {
            Rule rule = subscription.getKey();
            HostedFunction function = functions.get(rule.function());
            try {
                subscription.getValue().poll().forEach(event -> deliver(rule, function, event));
            } catch (RuntimeException e) {
                LOG.warn("rule {}.{} could not read its queue: {}", rule.function(), rule.name(), e.toString());
            }
        }
    }

    private void deliver(Rule rule, HostedFunction function, BusSubscription.Event event) {
        try {
            function.invokeJson(event.envelope().toString());
            LOG.info("rule {}.{} delivered {}", rule.function(), rule.name(), event.detailType());
        } catch (RuntimeException e) {
            LOG.warn("rule {}.{} failed on {}: {}", rule.function(), rule.name(), event.detailType(), e.toString());
        }
    }

    /**
     * Stops polling once the poll under way has finished (interrupting it would cut a request to the
     * emulator in the middle), then removes the rules and their queues.
     */
    @Override
    public void close() {
        poller.shutdown();
        try {
            if (!poller.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("rules still delivering after {} s; stopping them", CLOSE_WAIT_SECONDS);
                poller.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.values().forEach(BusSubscription::close);
    }
}

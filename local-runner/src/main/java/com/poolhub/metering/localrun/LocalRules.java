package com.poolhub.metering.localrun;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.LocalEventBridge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template's {@code EventBridgeRule} events: an entry the local EventBridge accepts whose
 * {@code source} and {@code detail-type} match a rule's pattern (the only pattern keys the template
 * uses) is delivered to the rule's function as EventBridge sends it, asynchronously and in order,
 * as the service invokes targets after PutEvents has answered.
 */
public final class LocalRules implements AutoCloseable {
    /** One rule: the function and the values its pattern accepts (empty: any). */
    public record Rule(String function, String name, List<String> sources, List<String> detailTypes) {
        boolean matches(LocalEventBridge.Entry entry) {
            return (sources.isEmpty() || sources.contains(entry.source()))
                    && (detailTypes.isEmpty() || detailTypes.contains(entry.detailType()));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalRules.class);
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, HostedFunction> functions;
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(Workers.daemon("local-rules"));

    public LocalRules(SamTemplate template, Map<String, HostedFunction> functions, LocalEventBridge bus) {
        this.functions = functions;
        for (SamTemplate.SamFunction function : template.functions()) {
            for (SamTemplate.SamEvent event : function.events("EventBridgeRule")) {
                Map<?, ?> pattern = event.property("Pattern") instanceof Map<?, ?> m ? m : Map.of();
                rules.add(new Rule(function.logicalId(), event.name(), values(pattern.get("source")),
                        values(pattern.get("detail-type"))));
            }
        }
        bus.onAccepted(this::accepted);
    }

    public List<Rule> rules() {
        return rules;
    }

    private static List<String> values(Object listed) {
        return listed instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    private void accepted(LocalEventBridge.Entry entry) {
        for (Rule rule : rules) {
            HostedFunction function = functions.get(rule.function());
            if (function != null && rule.matches(entry)) {
                deliveries.execute(() -> deliver(rule, function, entry));
            }
        }
    }

    private void deliver(Rule rule, HostedFunction function, LocalEventBridge.Entry entry) {
        try {
            function.invokeJson(envelope(rule, entry, Instant.now()));
            LOG.info("rule {}.{} delivered {}", rule.function(), rule.name(), entry.detailType());
        } catch (RuntimeException e) {
            LOG.warn("rule {}.{} failed on {}: {}", rule.function(), rule.name(), entry.detailType(), e.toString());
        }
    }

    /** The event as EventBridge delivers it to a rule's target. */
    static String envelope(Rule rule, LocalEventBridge.Entry entry, Instant now) {
        ObjectNode event = Json.object();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", entry.detailType());
        event.put("source", entry.source());
        event.put("account", "000000000000");
        event.put("time", now.toString());
        event.put("region", "us-east-1");
        event.putArray("resources").add("arn:aws:events:us-east-1:000000000000:rule/" + rule.function() + "-" + rule.name());
        event.set("detail", entry.detail());
        return event.toString();
    }

    @Override
    public void close() {
        deliveries.shutdownNow();
        try {
            deliveries.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

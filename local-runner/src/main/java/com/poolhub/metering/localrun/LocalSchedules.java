package com.poolhub.metering.localrun;

import com.poolhub.metering.aws.Workers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's {@code Schedule} events: each fires its function with the rule's {@code Input} or,
 * without one, a scheduled event as EventBridge sends it. {@link #fireAll} runs every rule once, in
 * template order; {@link #startTimers} fires them on their rates ({@code cron} rules on the period
 * their fields imply: hourly or daily).
 */
public final class LocalSchedules implements AutoCloseable {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    /** One schedule rule. */
    public record Rule(String function, String name, String expression, String input) {
        public Duration period() {
            Matcher rate = RATE.matcher(expression);
            if (rate.matches()) {
                long n = Long.parseLong(rate.group(1));
                return rate.group(2).startsWith("minute") ? Duration.ofMinutes(n)
                        : rate.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n);
            }
            String[] fields = expression.replaceAll("^cron\\(|\\)$", "").split(" ");
            return fields.length > 1 && fields[1].equals("*") ? Duration.ofHours(1) : Duration.ofDays(1);
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, HostedFunction> functions;
    private ScheduledExecutorService timers;

    public LocalSchedules(SamTemplate template, LocalValues values, Map<String, HostedFunction> functions) {
        this.functions = functions;
        for (SamTemplate.SamFunction function : template.functions()) {
            for (SamTemplate.SamEvent event : function.events("Schedule")) {
                Object input = event.property("Input");
                rules.add(new Rule(function.logicalId(), event.name(), values.resolve(event.property("Schedule")),
                        input == null ? null : values.resolve(input)));
            }
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Fires one rule now; answers with the function's JSON answer. */
    public String fire(Rule rule, Instant now) {
        HostedFunction function = functions.get(rule.function());
        if (function == null) {
            throw new IllegalStateException(rule.function() + " is not running");
        }
        return function.invokeJson(payload(rule, now));
    }

    /** Fires every rule of the running functions once; answers rule name to answer (or error). */
    public Map<String, String> fireAll(Instant now) {
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        for (Rule rule : rules) {
            if (functions.containsKey(rule.function())) {
                try {
                    answers.put(rule.function() + "." + rule.name(), fire(rule, now));
                } catch (RuntimeException e) {
                    answers.put(rule.function() + "." + rule.name(), "failed: " + e.getMessage());
                }
            }
        }
        return answers;
    }

    /** Fires each rule on its period until closed. */
    public synchronized void startTimers(java.util.function.Consumer<String> log) {
        timers = Executors.newSingleThreadScheduledExecutor(Workers.daemon("local-schedules"));
        for (Rule rule : rules) {
            if (!functions.containsKey(rule.function())) {
                continue;
            }
            long period = rule.period().toSeconds();
            timers.scheduleAtFixedRate(() -> {
                try {
                    fire(rule, Instant.now());
                    log.accept("schedule " + rule.function() + "." + rule.name() + " ran");
                } catch (RuntimeException e) {
                    log.accept("schedule " + rule.function() + "." + rule.name() + " failed: " + e.getMessage());
                }
            }, period, period, TimeUnit.SECONDS);
        }
    }

    static String payload(Rule rule, Instant now) {
        if (rule.input() != null) {
            return rule.input();
        }
        return "{\"version\": \"0\", \"id\": \"" + java.util.UUID.randomUUID() + "\", \"detail-type\": \"Scheduled Event\","
                + " \"source\": \"aws.events\", \"account\": \"000000000000\", \"time\": \"" + now + "\","
                + " \"region\": \"us-east-1\", \"resources\": [\"arn:aws:events:us-east-1:000000000000:rule/"
                + rule.function() + "-" + rule.name() + "\"], \"detail\": {}}";
    }

    @Override
    public synchronized void close() {
        if (timers != null) {
            timers.shutdownNow();
        }
    }
}

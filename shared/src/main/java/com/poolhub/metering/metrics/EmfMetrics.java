package com.poolhub.metering.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON line on standard output per flush,
 * which Lambda's log pipeline turns into metrics with no API call.
 */
public final class EmfMetrics {
    private final String namespace;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, Number> values = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final Clock clock;
    private final PrintStream out;

    public EmfMetrics(String namespace, Clock clock, PrintStream out) {
        this.namespace = namespace;
        this.clock = clock;
        this.out = out;
    }

    public static EmfMetrics forFunction(String function) {
        return new EmfMetrics("PoolHub", Clock.systemUTC(), System.out).dimension("Function", function);
    }

    public EmfMetrics dimension(String name, String value) {
        dimensions.put(name, value);
        return this;
    }

    public EmfMetrics count(String name, long value) {
        values.put(name, value);
        units.put(name, "Count");
        return this;
    }

    public EmfMetrics seconds(String name, double value) {
        values.put(name, value);
        units.put(name, "Seconds");
        return this;
    }

    /** The EMF document for the values recorded so far. */
    public String render() {
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        dimensions.keySet().forEach(dimensionSet::add);
        ArrayNode metrics = directive.putArray("Metrics");
        values.keySet().forEach(name -> metrics.addObject().put("Name", name).put("Unit", units.get(name)));
        dimensions.forEach(root::put);
        values.forEach((name, value) -> root.put(name, value.doubleValue()));
        return root.toString();
    }

    /** Writes the document and clears the values. */
    public void flush() {
        if (!values.isEmpty()) {
            out.println(render());
            values.clear();
            units.clear();
        }
    }
}

package com.poolhub.metering.usageapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.analytics.Anomaly;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.Money;

/** One anomaly as JSON, the same in the usage route's answer and in the announced event. */
final class AnomalyJson {
    private AnomalyJson() {
    }

    static ObjectNode describe(Anomaly anomaly) {
        ObjectNode node = Json.object();
        node.put("date", anomaly.day().toString());
        node.put("costUsd", Money.text(anomaly.value()));
        node.put("direction", anomaly.direction().name());
        if (anomaly.zScore() == null) {
            node.putNull("zScore");
        } else {
            node.put("zScore", round(anomaly.zScore()));
        }
        node.put("iqrScore", round(anomaly.iqrScore()));
        ArrayNode methods = node.putArray("methods");
        anomaly.methods().stream().map(Enum::name).sorted().forEach(methods::add);
        return node;
    }

    private static double round(double score) {
        return Math.round(score * 1000.0) / 1000.0;
    }
}

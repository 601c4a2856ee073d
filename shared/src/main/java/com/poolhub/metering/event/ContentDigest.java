package com.poolhub.metering.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A 64-bit digest of what a CloudEvent says: type, subject, time and data, with object fields in name
 * order, so the same event sent again gives the same digest however its producer ordered the fields.
 */
public final class ContentDigest {
    private ContentDigest() {
    }

    public static long of(CloudEvent event) {
        StringBuilder text = new StringBuilder();
        text.append(event.type()).append('\n').append(event.subject()).append('\n').append(event.time()).append('\n');
        canonical(event.data(), text);
        return Fingerprint.digest64(text.toString());
    }

    private static void canonical(JsonNode node, StringBuilder text) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            text.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            text.append('{');
            for (String name : names) {
                text.append(TextNode.valueOf(name)).append(':');
                canonical(node.get(name), text);
                text.append(',');
            }
            text.append('}');
        } else if (node.isArray()) {
            text.append('[');
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                canonical(it.next(), text);
                text.append(',');
            }
            text.append(']');
        } else {
            text.append(node.toString());
        }
    }
}

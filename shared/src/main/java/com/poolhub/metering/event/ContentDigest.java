package com.poolhub.metering.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return ByteBuffer.wrap(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
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

package com.poolhub.metering.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opaque {@code nextToken}s: a page position (a small string map, a store's last key say) bound to
 * the {@link PageScope} it was issued for, as base64url JSON {@code {"v":1,"scope":…,"at":{…}}}.
 * Reading a token for another scope (another route, caller or query) or one that does not decode is
 * refused with a 400; whether the position lies inside the query is the store's to check
 * ({@link PagePosition}).
 */
public final class PageToken {
    static final int VERSION = 1;
    /** Most fields a position may have, and the longest value in UTF-8 bytes (a DynamoDB sort key's limit). */
    static final int MAX_FIELDS = 8;
    static final int MAX_VALUE_BYTES = 1024;
    static final String NOT_ISSUED = "nextToken is not a token this API issued; repeat the query without it";
    static final String OTHER_SCOPE = "nextToken was issued for another route, caller or query; repeat the query "
            + "it came from (the same parameters), or leave nextToken out";

    private PageToken() {
    }

    /** The token continuing at {@code position} within {@code scope}; null when there is no next page. */
    public static String issue(PageScope scope, Map<String, String> position) {
        if (position == null || position.isEmpty()) {
            return null;
        }
        ObjectNode token = Json.object();
        token.put("v", VERSION);
        token.put("scope", scope.digest());
        ObjectNode at = token.putObject("at");
        position.forEach(at::put);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token issued for {@code scope} holds; a 400 for any other text. */
    public static Map<String, String> read(PageScope scope, String token) {
        JsonNode root;
        try {
            root = Json.parse(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw ApiException.badRequest(NOT_ISSUED);
        }
        if (root == null || !root.isObject() || root.path("v").asInt(-1) != VERSION || !root.path("scope").isTextual()
                || !root.path("at").isObject()) {
            throw ApiException.badRequest(NOT_ISSUED);
        }
        Map<String, String> position = position(root.get("at"));
        if (!scope.digest().equals(root.get("scope").asText())) {
            throw ApiException.badRequest(OTHER_SCOPE);
        }
        return position;
    }

    private static Map<String, String> position(JsonNode at) {
        if (at.isEmpty() || at.size() > MAX_FIELDS) {
            throw ApiException.badRequest(NOT_ISSUED);
        }
        Map<String, String> position = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = at.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!value.isTextual() || value.asText().isEmpty()
                    || value.asText().getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
                throw ApiException.badRequest(NOT_ISSUED);
            }
            position.put(field.getKey(), value.asText());
        }
        return Map.copyOf(position);
    }
}

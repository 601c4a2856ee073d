package com.poolhub.metering.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Opaque {@code nextToken}s: a small string map (a DynamoDB last key, say) as base64url JSON. */
public final class PageToken {
    private PageToken() {
    }

    public static String encode(Map<String, String> position) {
        if (position == null || position.isEmpty()) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(position).getBytes(StandardCharsets.UTF_8));
    }

    public static Map<String, String> decode(String token) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            Map<String, String> position = Json.mapper().readValue(json, new TypeReference<Map<String, String>>() { });
            if (position == null || position.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return position;
        } catch (Exception e) {
            throw ApiException.badRequest("nextToken is not a token this API issued");
        }
    }
}

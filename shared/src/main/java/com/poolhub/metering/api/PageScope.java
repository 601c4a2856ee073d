package com.poolhub.metering.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a page token is bound to: the route (method and path template), the caller (role and id) and
 * the query (path parameters and query parameters, all but {@code limit} and {@code nextToken}). Two
 * requests share a scope exactly when a token from one may continue the other.
 */
public record PageScope(String route, Caller caller, Map<String, String> pathParameters, Map<String, String> query) {
    /** Query parameters that do not change which items a query lists. */
    static final Set<String> PAGING_PARAMETERS = Set.of("limit", "nextToken");

    public PageScope {
        pathParameters = new TreeMap<>(pathParameters);
        TreeMap<String, String> listed = new TreeMap<>(query);
        listed.keySet().removeAll(PAGING_PARAMETERS);
        listed.values().removeIf(String::isEmpty);
        query = listed;
    }

    /** A short digest of the scope (SHA-256, base64url, 128 bits). */
    public String digest() {
        ObjectNode canonical = Json.object();
        canonical.put("route", route);
        ArrayNode who = canonical.putArray("caller");
        who.add(caller.role().name()).add(caller.id());
        pathParameters.forEach(canonical.putObject("path")::put);
        query.forEach(canonical.putObject("query")::put);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}

package com.poolhub.metering.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a price book from JSON. The project ships one as the classpath resource
 * {@value #DEFAULT_RESOURCE}; its shape:
 * <pre>{@code
 * {"rates": [
 *    {"resource": "GPU", "unit": "compute_seconds", "effectiveFrom": "2026-01-01T00:00:00Z", "unitRate": "0.00080"},
 *    {"resource": "INFERENCE", "unit": "tokens", "effectiveFrom": "2026-01-01T00:00:00Z",
 *     "tiers": [{"upTo": "1000000", "unitRate": "0.000002"}, {"unitRate": "0.0000015"}]}],
 *  "tokenPrices": [{"effectiveFrom": "2026-01-01T00:00:00Z", "usdPerToken": "0.25"}]}
 * }</pre>
 * Decimals may be strings or numbers and are read exactly. A malformed book fails naming the entry.
 */
public final class PriceBookJson {
    public static final String DEFAULT_RESOURCE = "/price-book.json";

    private PriceBookJson() {
    }

    /** The book shipped with the project. */
    public static PriceBook shipped() {
        try (InputStream in = PriceBookJson.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("price book resource " + DEFAULT_RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A book from a file (a deployment may point {@code PRICE_BOOK_FILE} at one). */
    public static PriceBook file(Path path) {
        try {
            return parse(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read price book " + path, e);
        }
    }

    public static PriceBook parse(String json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("price book is not valid JSON", e);
        }
        List<Rate> rates = new ArrayList<>();
        int i = 0;
        for (JsonNode node : root.path("rates")) {
            rates.add(rate(node, "rates[" + i++ + "]"));
        }
        List<TokenPrice> tokenPrices = new ArrayList<>();
        i = 0;
        for (JsonNode node : root.path("tokenPrices")) {
            String where = "tokenPrices[" + i++ + "]";
            tokenPrices.add(new TokenPrice(instant(node, "effectiveFrom", where), decimal(node, "usdPerToken", where)));
        }
        return new PriceBook(rates, tokenPrices);
    }

    private static Rate rate(JsonNode node, String where) {
        return rate(node, instant(node, "effectiveFrom", where), where);
    }

    /**
     * One rate of the book's shape ({@code resource}, {@code unit}, {@code unitRate} or {@code tiers})
     * taking effect at {@code from}; fails naming {@code where}.
     */
    public static Rate rate(JsonNode node, Instant from, String where) {
        Resource resource = Resource.parse(node.path("resource").asText())
                .orElseThrow(() -> new IllegalArgumentException(where + ": unknown resource"));
        UsageUnit unit = UsageUnit.parse(node.path("unit").asText())
                .orElseThrow(() -> new IllegalArgumentException(where + ": unknown unit"));
        RateKey key = new RateKey(resource, unit);
        if (!unit.appliesTo(resource)) {
            throw new IllegalArgumentException(where + ": unit " + unit.wire() + " does not apply to " + resource);
        }
        if (node.has("tiers")) {
            List<RateTier> tiers = new ArrayList<>();
            int t = 0;
            for (JsonNode tier : node.get("tiers")) {
                String at = where + ".tiers[" + t++ + "]";
                tiers.add(new RateTier(tier.has("upTo") ? decimal(tier, "upTo", at) : null, decimal(tier, "unitRate", at)));
            }
            return new Rate(key, from, tiers);
        }
        return Rate.flat(key, from, decimal(node, "unitRate", where));
    }

    /** A rate in the book's shape, without its {@code effectiveFrom}; decimals as plain strings. */
    public static ObjectNode rateJson(Rate rate) {
        ObjectNode node = Json.object();
        node.put("resource", rate.key().resource().name());
        node.put("unit", rate.key().unit().wire());
        if (rate.graduated()) {
            ArrayNode tiers = node.putArray("tiers");
            for (RateTier tier : rate.tiers()) {
                ObjectNode t = tiers.addObject();
                if (!tier.unbounded()) {
                    t.put("upTo", tier.upTo().toPlainString());
                }
                t.put("unitRate", tier.unitRate().toPlainString());
            }
        } else {
            node.put("unitRate", rate.tiers().get(0).unitRate().toPlainString());
        }
        return node;
    }

    private static Instant instant(JsonNode node, String field, String where) {
        try {
            return CloudEventReader.time(node.path(field).asText());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + "." + field + " must be an RFC 3339 time");
        }
    }

    private static BigDecimal decimal(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        try {
            if (value != null && value.isNumber()) {
                return value.decimalValue();
            }
            return new BigDecimal(value.asText());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + "." + field + " must be a decimal");
        }
    }
}

package com.poolhub.metering.aws.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.PriceBookJson;
import com.poolhub.metering.pricing.PriceOverride;
import com.poolhub.metering.pricing.PriceOverrideStore;
import com.poolhub.metering.pricing.Rate;
import com.poolhub.metering.usage.UtcTimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Price overrides in the billing table: {@code pk = PRICE_OVERRIDE#{tenant}},
 * {@code sk = effectiveFrom} (RFC 3339, so the sort key orders them in time), the rates as JSON of
 * the price book's shape with exact decimal strings. One Query (consistent) reads a tenant's overrides.
 */
public final class DynamoPriceOverrideStore implements PriceOverrideStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPriceOverrideStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String partition(String tenant) {
        return "PRICE_OVERRIDE#" + tenant;
    }

    @Override
    public List<PriceOverride> overrides(String tenant) {
        List<PriceOverride> out = new ArrayList<>();
        QueryRequest query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(tenant)))).build();
        dynamo.queryPaginator(query).items().forEach(item -> out.add(decode(tenant, item)));
        return out;
    }

    @Override
    public void put(PriceOverride override) {
        ArrayNode rates = Json.mapper().createArrayNode();
        override.rates().forEach(rate -> rates.add(PriceBookJson.rateJson(rate)));
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS(partition(override.tenant())),
                "sk", AttributeValue.fromS(UtcTimes.format(override.effectiveFrom())),
                "rates", AttributeValue.fromS(rates.toString()))));
    }

    private static PriceOverride decode(String tenant, Map<String, AttributeValue> item) {
        Instant from = Instant.parse(item.get("sk").s());
        JsonNode rates;
        try {
            rates = Json.parse(item.get("rates").s());
        } catch (IOException e) {
            throw new UncheckedIOException("stored override of " + tenant + " at " + from + " is not JSON", e);
        }
        List<Rate> list = new ArrayList<>();
        int i = 0;
        for (JsonNode rate : rates) {
            list.add(PriceBookJson.rate(rate, from, "override " + tenant + "@" + from + " rates[" + i++ + "]"));
        }
        return new PriceOverride(tenant, from, list);
    }
}

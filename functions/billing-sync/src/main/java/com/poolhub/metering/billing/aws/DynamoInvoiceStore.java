package com.poolhub.metering.billing.aws;

import com.poolhub.metering.billing.invoice.Invoice;
import com.poolhub.metering.billing.invoice.InvoiceLine;
import com.poolhub.metering.billing.invoice.InvoiceStatus;
import com.poolhub.metering.billing.invoice.InvoiceStore;
import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.pricing.TokenPrice;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Issued invoices in the billing table: {@code pk = INVOICE#{yyyy-MM}}, {@code sk = {tenant}}, so one
 * Query lists a month's invoiced tenants. Lines are a list of maps with exact numbers; the token price
 * used is stored beside the totals. Written once with {@code attribute_not_exists}; afterwards only
 * the {@code announced} flag changes. A month whose invoices are all issued and announced is marked
 * by {@code pk = INVOICE_RUN}, {@code sk = {yyyy-MM}}.
 */
public final class DynamoInvoiceStore implements InvoiceStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoInvoiceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String tenant, YearMonth month) {
        return Map.of("pk", AttributeValue.fromS("INVOICE#" + month), "sk", AttributeValue.fromS(tenant));
    }

    private static Map<String, AttributeValue> runKey(YearMonth month) {
        return Map.of("pk", AttributeValue.fromS("INVOICE_RUN"), "sk", AttributeValue.fromS(month.toString()));
    }

    @Override
    public Optional<Issued> find(String tenant, YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(tenant, month)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Issued(decode(item), item.get("announced").bool()));
    }

    @Override
    public boolean issue(Invoice invoice) {
        if (invoice.status() != InvoiceStatus.ISSUED) {
            throw new IllegalArgumentException("only issued invoices are stored");
        }
        Map<String, AttributeValue> item = new HashMap<>(key(invoice.tenant(), invoice.month()));
        item.put("tenant", AttributeValue.fromS(invoice.tenant()));
        item.put("month", AttributeValue.fromS(invoice.month().toString()));
        item.put("status", AttributeValue.fromS(invoice.status().name()));
        item.put("lines", AttributeValue.fromL(invoice.lines().stream().map(DynamoInvoiceStore::encode).toList()));
        item.put("totalUsd", number(invoice.totalUsd()));
        item.put("totalTokens", number(invoice.totalTokens()));
        item.put("usdPerToken", number(invoice.tokenPrice().usdPerToken()));
        item.put("tokenPriceFrom", AttributeValue.fromS(UtcTimes.format(invoice.tokenPrice().effectiveFrom())));
        item.put("generatedAt", AttributeValue.fromS(UtcTimes.format(invoice.generatedAt())));
        item.put("announced", AttributeValue.fromBool(false));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException issuedBefore) {
            return false;
        }
    }

    @Override
    public void markAnnounced(String tenant, YearMonth month) {
        dynamo.updateItem(b -> b.tableName(table).key(key(tenant, month))
                .updateExpression("SET announced = :t")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
    }

    @Override
    public Set<String> invoicedTenants(YearMonth month) {
        Set<String> tenants = new TreeSet<>();
        PagedQuery.forEach(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("INVOICE#" + month)))
                .projectionExpression("sk")
                .build(), item -> tenants.add(item.get("sk").s()));
        return tenants;
    }

    @Override
    public boolean monthComplete(YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(runKey(month)).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    @Override
    public void markMonthComplete(YearMonth month) {
        dynamo.putItem(b -> b.tableName(table).item(runKey(month)));
    }

    private static AttributeValue number(BigDecimal value) {
        return AttributeValue.fromN(value.toPlainString());
    }

    private static AttributeValue encode(InvoiceLine line) {
        return AttributeValue.fromM(Map.of(
                "kind", AttributeValue.fromS(line.kind().name()),
                "usageMonth", AttributeValue.fromS(line.usageMonth().toString()),
                "resource", AttributeValue.fromS(line.resource().name()),
                "unit", AttributeValue.fromS(line.unit().wire()),
                "quantity", number(line.quantity()),
                "unitRate", number(line.unitRate()),
                "rateEffectiveFrom", AttributeValue.fromS(UtcTimes.format(line.rateEffectiveFrom())),
                "tier", AttributeValue.fromN(Integer.toString(line.tier())),
                "cost", number(line.cost())));
    }

    private static InvoiceLine decodeLine(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        return new InvoiceLine(InvoiceLine.Kind.valueOf(m.get("kind").s()), YearMonth.parse(m.get("usageMonth").s()),
                Resource.valueOf(m.get("resource").s()), UsageUnit.parse(m.get("unit").s()).orElseThrow(),
                new BigDecimal(m.get("quantity").n()), new BigDecimal(m.get("unitRate").n()),
                Instant.parse(m.get("rateEffectiveFrom").s()), Integer.parseInt(m.get("tier").n()),
                new BigDecimal(m.get("cost").n()).setScale(Money.SCALE));
    }

    private static Invoice decode(Map<String, AttributeValue> item) {
        List<InvoiceLine> lines = item.get("lines").l().stream().map(DynamoInvoiceStore::decodeLine).toList();
        TokenPrice price = new TokenPrice(Instant.parse(item.get("tokenPriceFrom").s()), new BigDecimal(item.get("usdPerToken").n()));
        return new Invoice(item.get("tenant").s(), YearMonth.parse(item.get("month").s()),
                InvoiceStatus.valueOf(item.get("status").s()), lines,
                new BigDecimal(item.get("totalUsd").n()).setScale(Money.SCALE),
                price, new BigDecimal(item.get("totalTokens").n()).setScale(Money.SCALE),
                Instant.parse(item.get("generatedAt").s()));
    }
}

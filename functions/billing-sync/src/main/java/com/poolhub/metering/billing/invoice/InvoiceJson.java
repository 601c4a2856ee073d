package com.poolhub.metering.billing.invoice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.usage.UtcTimes;

/** The API form of an invoice: decimals as strings, money with 6 decimals, times RFC 3339 UTC. */
public final class InvoiceJson {
    private InvoiceJson() {
    }

    public static ObjectNode invoice(Invoice invoice) {
        ObjectNode node = Json.object();
        node.put("invoiceId", invoice.tenant() + "/" + invoice.month());
        node.put("tenant", invoice.tenant());
        node.put("month", invoice.month().toString());
        node.put("status", invoice.status().name());
        node.put("currency", "USD");
        ArrayNode lines = node.putArray("lines");
        for (InvoiceLine line : invoice.lines()) {
            ObjectNode l = lines.addObject();
            l.put("kind", line.kind().name());
            l.put("usageMonth", line.usageMonth().toString());
            l.put("resource", line.resource().name());
            l.put("unit", line.unit().wire());
            l.put("quantity", line.quantity().toPlainString());
            l.put("unitRate", line.unitRate().toPlainString());
            l.put("rateEffectiveFrom", UtcTimes.format(line.rateEffectiveFrom()));
            l.put("tier", line.tier());
            l.put("costUsd", Money.text(line.cost()));
        }
        node.put("adjustmentsUsd", Money.text(invoice.adjustmentsUsd()));
        node.put("totalUsd", Money.text(invoice.totalUsd()));
        node.put("totalTokens", Money.text(invoice.totalTokens()));
        ObjectNode price = node.putObject("tokenPrice");
        price.put("usdPerToken", invoice.tokenPrice().usdPerToken().toPlainString());
        price.put("effectiveFrom", UtcTimes.format(invoice.tokenPrice().effectiveFrom()));
        node.put("generatedAt", UtcTimes.format(invoice.generatedAt()));
        return node;
    }
}

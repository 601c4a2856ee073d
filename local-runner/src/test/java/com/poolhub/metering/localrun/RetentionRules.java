package com.poolhub.metering.localrun;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every kind of item the system stores, by table and key shape, with the expiry it must carry
 * relative to the moment it was written (a range in days, or none: kept until deleted). The same
 * table as {@code docs/retention.md}; an item of a kind not listed here fails the check, so a new
 * kind of item cannot be added without deciding how long it lives.
 */
final class RetentionRules {
    private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";
    private static final String DAY = "\\d{4}-\\d{2}-\\d{2}";

    /** One kind of item; {@code minDays} null means the item must carry no expiry. */
    record Rule(String kind, String table, Pattern pk, Pattern sk, Double minDays, Double maxDays) {
        boolean matches(String tableName, String pkValue, String skValue) {
            return tableName.endsWith(table) && pk.matcher(pkValue).matches() && sk.matcher(skValue).matches();
        }

        Optional<String> check(Long ttlDaysTimes100) {
            if (minDays == null) {
                return ttlDaysTimes100 == null ? Optional.empty() : Optional.of(kind + " must not expire");
            }
            if (ttlDaysTimes100 == null) {
                return Optional.of(kind + " has no ttl");
            }
            double days = ttlDaysTimes100 / 100.0;
            return days >= minDays && days <= maxDays ? Optional.empty()
                    : Optional.of(kind + " expires in " + days + " days, not within [" + minDays + ", " + maxDays + "]");
        }
    }

    private static Rule kept(String kind, String table, String pk, String sk) {
        return new Rule(kind, table, Pattern.compile(pk), Pattern.compile(sk), null, null);
    }

    private static Rule expiring(String kind, String table, String pk, String sk, double minDays, double maxDays) {
        return new Rule(kind, table, Pattern.compile(pk), Pattern.compile(sk), minDays, maxDays);
    }

    /**
     * The rules at the template's defaults, for items written in the last day: late-arrival limit 35
     * days (minute items and ledgers outlive it by a day), aggregates 400 days after their window, rejects
     * 35 days after arrival, SLA records 90 days, billing run reports 90 days.
     */
    static final List<Rule> DEFAULTS = List.of(
            expiring("usage ledger item", "usage", "LEDGER#U#" + TIME + "#\\d+", "(B#.+|HEAD|P#\\d+)", 34.9, 36.1),
            expiring("minute aggregate", "usage", "[^#]+#MINUTE", TIME + "#.+", 34.9, 36.1),
            expiring("hour aggregate", "usage", "[^#]+#HOUR", TIME + "#.+", 398.9, 400.1),
            expiring("day aggregate", "usage", "[^#]+#DAY", TIME + "#.+", 399.0, 401.1),
            expiring("month aggregate", "usage", "[^#]+#MONTH", TIME + "#.+", 399.0, 431.1),
            kept("anomaly record", "usage", "[^#]+#ANOMALY", "\\d{4}-\\d{2}-\\d{2}"),
            expiring("(source, id) claim", "usage", "LEDGER#ID#.+", ".+", 1.0, 401.0),
            expiring("reject", "rejects", "[a-z-]+#" + DAY, ".+", 34.9, 35.1),
            expiring("telemetry ledger item", "telemetry", "LEDGER#T#" + TIME + "#\\d+", "(B#.+|HEAD|P#\\d+)", 34.9, 36.1),
            expiring("miner hour", "telemetry", "MINER#.+", "H#" + TIME, 34.9, 36.1),
            kept("miner registry entry", "telemetry", "MINERS", ".+"),
            expiring("SLA metrics", "sla", "METRICS#" + TIME, ".+", 89.0, 90.1),
            expiring("SLA violation", "sla", "VIOLATIONS", TIME + "#.+", 89.0, 90.1),
            expiring("SLA collection", "sla", "COLLECTION", TIME, 89.0, 90.1),
            expiring("capacity snapshot", "sla", "CAPACITY", TIME, 89.0, 90.1),
            expiring("burn-rate alert slot", "sla", "BURN_ALERTS", ".+#.+#.+", 89.0, 90.1),
            expiring("collection request", "sla", "COLLECTION_REQUEST", ".+", 89.0, 90.1),
            kept("latest recommendation", "sla", "RECOMMENDATION", "LATEST"),
            kept("quota item", "quotas", "[^#]+#QUOTA", "[A-Z]+#.+"),
            expiring("Idempotency-Key record", "quotas", "[^#]+#IDEMPOTENCY", ".+", 0.9, 1.01),
            kept("billing sync record", "billing", "SYNC#" + TIME, ".+"),
            kept("invoice", "billing", "INVOICE#.+", ".+"),
            kept("invoice run", "billing", "INVOICE_RUN", ".+"),
            expiring("billing run report", "billing", "SYNCRUN#\\d{4}-\\d{2}", ".+", 89.9, 90.1),
            kept("billing watermark", "billing", "WATERMARK", ".+"),
            kept("API key", "api-keys", "KEY#[0-9a-f]+", "KEY"),
            expiring("audit record", "audit", "DAY#" + DAY, "\\d+", 398.9, 401.1),
            kept("audit chain head", "audit", "HEAD", "HEAD"),
            expiring("API key rate bucket", "api-keys", "RATE#.+", "BUCKET", 0.9, 1.01));

    private RetentionRules() {
    }

    /** The rule an item's keys fall under, if any. */
    static Optional<Rule> of(String table, String pk, String sk) {
        return DEFAULTS.stream().filter(rule -> rule.matches(table, pk, sk)).findFirst();
    }
}

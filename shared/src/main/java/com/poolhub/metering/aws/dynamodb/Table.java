package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.aws.dynamodb.ledger.LedgerLayout;
import com.poolhub.metering.config.Env;
import java.util.List;

/**
 * Every DynamoDB table of the system: the variable that names it in a deployment, the name used
 * locally, and its secondary indexes. All tables key on string {@code pk} and {@code sk}, bill per
 * request and expire items by their {@code ttl} attribute where they set one.
 */
public enum Table {
    /**
     * Usage aggregates per tenant, resource, unit and window, and the usage ledger (pages of counted
     * fingerprints and partial totals, {@code pk = LEDGER#...}).
     */
    USAGE("USAGE_TABLE", "poolhub-usage",
            new Index(UsageDirtyMarks.INDEX, UsageDirtyMarks.PARTITION, UsageDirtyMarks.SORT, Index.Projection.KEYS_ONLY),
            new Index(BillingMarks.INDEX, BillingMarks.PARTITION, BillingMarks.SORT, Index.Projection.KEYS_ONLY),
            new Index(UsageAggregateCodec.WINDOW_INDEX, UsageAggregateCodec.WINDOW_ATTRIBUTE, "pk")),
    /** Refused inputs with their reasons, by stream and arrival day. */
    REJECTS("REJECTS_TABLE", "poolhub-rejects"),
    /** Tenants' quotas, rate limits and buckets ({@code tenant#CONFIG}) and period use counters ({@code tenant#USE}). */
    QUOTAS("QUOTAS_TABLE", "poolhub-quotas"),
    /**
     * Miner telemetry: per miner and UTC hour counters ({@code pk = MINER#id}, {@code sk = H#hour}),
     * the miner registry ({@code pk = MINERS}, {@code sk = minerId}) and the telemetry ledger, whose
     * unfolded scopes the keys-only {@code dirty} index lists.
     */
    TELEMETRY("TELEMETRY_TABLE", "poolhub-telemetry",
            new Index(LedgerLayout.INDEX, LedgerLayout.MARK_PARTITION, LedgerLayout.MARK_SORT, Index.Projection.KEYS_ONLY)),
    /**
     * SLA collections, per-miner metrics, violations, capacity snapshots and recommendations. The
     * sparse index {@code pending} lists violations whose event is not yet published.
     */
    SLA("SLA_TABLE", "poolhub-sla", new Index("pending", "pendingPk", "sk")),
    /**
     * Billing: usage records pushed to the coordinator billing API (one partition per billed hour),
     * the sync watermark and invoices; the tenant index lists a tenant's records by period.
     */
    BILLING("BILLING_TABLE", "poolhub-billing", new Index("byTenant", "tenantKey", "tenantSort")),
    /** API keys by key id ({@code pk = KEY#id}): only the SHA-256 of each key, its role and principal. */
    API_KEYS("API_KEYS_TABLE", "poolhub-api-keys"),
    /**
     * The audit trail, append only: records by UTC day ({@code pk = DAY#yyyy-MM-dd}, {@code sk} = the
     * zero-padded sequence), hash-chained, and the chain's head ({@code pk = sk = HEAD}).
     */
    AUDIT("AUDIT_TABLE", "poolhub-audit");

    private final String variable;
    private final String localName;
    private final List<Index> indexes;

    Table(String variable, String localName, Index... indexes) {
        this.variable = variable;
        this.localName = localName;
        this.indexes = List.of(indexes);
    }

    /** The environment variable holding the deployed table name. */
    public String variable() {
        return variable;
    }

    /** The name used when nothing is configured (local runs and tests). */
    public String localName() {
        return localName;
    }

    /** The deployed name from the environment; fails naming the variable when it is missing. */
    public String name(Env env) {
        return env.required(variable);
    }

    public List<Index> indexes() {
        return indexes;
    }

    /** A global secondary index keyed on two string attributes, projecting all attributes or only keys. */
    public record Index(String name, String partitionAttribute, String sortAttribute, Projection projection) {
        /** What an index copies from the table's items. */
        public enum Projection { ALL, KEYS_ONLY }

        /** An index projecting all attributes. */
        public Index(String name, String partitionAttribute, String sortAttribute) {
            this(name, partitionAttribute, sortAttribute, Projection.ALL);
        }
    }
}

package com.poolhub.metering.audit;

/**
 * The types of audited changes. A new kind of change (prices, plans, producer keys, corrections)
 * adds its constant here and makes one {@link AuditLog#append} call before it applies the change.
 */
public final class AuditTypes {
    /** {@code PUT /quota/limits/{tenant}}: a tenant's limit for a resource, unit and period, and its rate limit. */
    public static final String QUOTA_LIMITS_SET = "QUOTA_LIMITS_SET";
    /** An API key issued (the key's id, role and principal; never the key). */
    public static final String API_KEY_ISSUED = "API_KEY_ISSUED";
    /** An API key revoked. */
    public static final String API_KEY_REVOKED = "API_KEY_REVOKED";
    /** Rejects of a stream replayed (by the API or the operator's tool): what was asked, and the outcome. */
    public static final String REJECTS_REPLAYED = "REJECTS_REPLAYED";
    /** A billing sync run (schedule or {@code POST /sla/billing/sync}): the watermark it starts from and the hour it bills up to. */
    public static final String BILLING_SYNC_RUN = "BILLING_SYNC_RUN";
    /** An invoice issued for a closed month (tenant, month, totals), recorded before it is stored. */
    public static final String INVOICE_ISSUED = "INVOICE_ISSUED";
    /** {@code POST /sla/metrics/collect}: an on-demand SLA collection requested. */
    public static final String SLA_COLLECTION_REQUESTED = "SLA_COLLECTION_REQUESTED";

    /** {@code PUT /pricing/tenants/{tenant}}: a tenant's price override (effective hour and rates), and what it replaced. */
    public static final String PRICE_OVERRIDE_SET = "PRICE_OVERRIDE_SET";
    /** A producer signing key issued (producer, key id and the active key ids; never the secret). */
    public static final String PRODUCER_KEY_ISSUED = "PRODUCER_KEY_ISSUED";
    /** A producer signing key revoked. */
    public static final String PRODUCER_KEY_REVOKED = "PRODUCER_KEY_REVOKED";

    private AuditTypes() {
    }
}

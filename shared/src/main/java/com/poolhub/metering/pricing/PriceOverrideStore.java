package com.poolhub.metering.pricing;

import java.util.List;

/** Where tenants' price overrides are kept. */
public interface PriceOverrideStore {
    /** The tenant's overrides, oldest {@code effectiveFrom} first. */
    List<PriceOverride> overrides(String tenant);

    /** Stores an override, replacing one of the tenant's at the same {@code effectiveFrom}. */
    void put(PriceOverride override);

    /** A store without overrides, where none can be set: every tenant at the book's rates. */
    static PriceOverrideStore none() {
        return new PriceOverrideStore() {
            @Override
            public List<PriceOverride> overrides(String tenant) {
                return List.of();
            }

            @Override
            public void put(PriceOverride override) {
                throw new IllegalStateException("this deployment keeps no price overrides");
            }
        };
    }
}

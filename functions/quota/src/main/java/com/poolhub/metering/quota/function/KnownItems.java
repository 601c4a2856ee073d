package com.poolhub.metering.quota.function;

import com.poolhub.metering.aws.quota.QuotaItem;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quota item of each (tenant, resource, unit) as this container last saw it: read, or returned
 * by a consume (the new item when granted, the old one when its condition failed). A consume decides
 * on it without reading; its write carries the settings version, so settings changed since make the
 * write fail, return the current item and decide again. Never a source of truth for counters: a
 * hard limit is checked by the write's own condition.
 */
final class KnownItems {
    private record Key(String tenant, Resource resource, UsageUnit unit) {
    }

    private final Map<Key, QuotaItem> items = new ConcurrentHashMap<>();

    QuotaItem get(String tenant, Resource resource, UsageUnit unit) {
        return items.get(new Key(tenant, resource, unit));
    }

    /**
     * Keeps the item seen; an absent item or one that limits nothing is forgotten, so that a consume
     * without a write to validate it reads it again.
     */
    void seen(String tenant, Resource resource, UsageUnit unit, QuotaItem item) {
        Key key = new Key(tenant, resource, unit);
        if (item == null || item.unlimited()) {
            items.remove(key);
        } else {
            items.merge(key, item, (known, fresh) -> fresh.version() >= known.version() ? fresh : known);
        }
    }
}

package com.poolhub.metering.usage.rollup;

import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Comparator;

/**
 * The work of one rollup step, from the windows of one granularity that changed: which parent
 * windows to recompute, grouped into {@link Scan}s (one read of a tenant's children in one parent
 * window covers every resource and unit). Parents are recomputed as the sum of all their children,
 * never by adding a difference, so running a step twice, late, or concurrently gives the same totals.
 */
public final class RollupPlan {
    private static final Comparator<UsageKey> ORDER = Comparator.comparing(UsageKey::windowStart)
            .thenComparing(UsageKey::resource).thenComparing(k -> k.unit().wire());

    /** One read: a tenant's windows of {@code childGranularity} inside the parent window at {@code parentStart}. */
    public record Scan(String tenant, Granularity childGranularity, Instant parentStart) {
        public Granularity parentGranularity() {
            return childGranularity.coarser();
        }

        /** The children's window starts lie in {@code [childrenFrom, childrenTo)}. */
        public Instant childrenFrom() {
            return parentStart;
        }

        public Instant childrenTo() {
            return parentGranularity().next(parentStart);
        }
    }

    private final Map<Scan, Map<UsageKey, List<UsageKey>>> work;

    private RollupPlan(Map<Scan, Map<UsageKey, List<UsageKey>>> work) {
        this.work = work;
    }

    /** Plans the step for windows of one granularity that changed (each must have a parent). */
    public static RollupPlan of(Collection<UsageKey> changed) {
        Map<Scan, Map<UsageKey, List<UsageKey>>> work = new LinkedHashMap<>();
        for (UsageKey child : changed) {
            UsageKey parent = child.parent();
            Scan scan = new Scan(child.tenant(), child.granularity(), parent.windowStart());
            work.computeIfAbsent(scan, s -> new LinkedHashMap<>())
                    .computeIfAbsent(parent, p -> new ArrayList<>()).add(child);
        }
        return new RollupPlan(work);
    }

    public Set<Scan> scans() {
        return work.keySet();
    }

    /** The parents to recompute from a scan, each with its changed children. */
    public Map<UsageKey, List<UsageKey>> parents(Scan scan) {
        return work.getOrDefault(scan, Map.of());
    }

    public int parentCount() {
        return work.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Each wanted parent as the sum of its children among those read: totals added exactly, version
     * the sum of the children's versions. Children of other parents are ignored.
     */
    public static List<VersionedWindow> sum(Collection<UsageKey> parents, Collection<VersionedWindow> children) {
        Map<UsageKey, VersionedWindow> sums = new LinkedHashMap<>();
        Set<UsageKey> wanted = new TreeSet<>(ORDER);
        wanted.addAll(parents);
        for (UsageKey parent : wanted) {
            sums.put(parent, new VersionedWindow(parent, UsageTotals.ZERO, 0));
        }
        for (VersionedWindow child : children) {
            UsageKey parent = child.key().parent();
            VersionedWindow sum = sums.get(parent);
            if (sum != null) {
                sums.put(parent, new VersionedWindow(parent, sum.totals().plus(child.totals()), sum.version() + child.version()));
            }
        }
        return List.copyOf(sums.values());
    }
}

package com.poolhub.metering.usage.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.aws.dynamodb.UsageDirtyMarks;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RollupPlanTest {
    private static UsageKey minute(String tenant, Resource resource, UsageUnit unit, String at) {
        return new UsageKey(tenant, resource, unit, Granularity.MINUTE, Instant.parse(at));
    }

    @Test
    void plan_groupsChangedMinutesIntoOneScanPerTenantAndHour() {
        UsageKey a = minute("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "2026-11-22T10:01:00Z");
        UsageKey b = minute("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "2026-11-22T10:59:00Z");
        UsageKey c = minute("acme", Resource.INFERENCE, UsageUnit.TOKENS, "2026-11-22T10:30:00Z");
        UsageKey d = minute("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "2026-11-22T11:00:00Z");
        UsageKey e = minute("globex", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "2026-11-22T10:01:00Z");

        RollupPlan plan = RollupPlan.of(List.of(a, b, c, d, e));

        assertEquals(3, plan.scans().size());
        assertEquals(4, plan.parentCount());
        RollupPlan.Scan tenAcme = new RollupPlan.Scan("acme", Granularity.MINUTE, Instant.parse("2026-11-22T10:00:00Z"));
        assertEquals(Map.of(a.parent(), List.of(a, b), c.parent(), List.of(c)), plan.parents(tenAcme));
        assertEquals(Instant.parse("2026-11-22T11:00:00Z"), tenAcme.childrenTo());
    }

    @Test
    void sum_addsEveryChildOfEachParentAndTheirVersions() {
        UsageKey a = minute("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "2026-11-22T10:01:00Z");
        UsageKey b = minute("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "2026-11-22T10:02:00Z");
        UsageKey other = minute("acme", Resource.INFERENCE, UsageUnit.TOKENS, "2026-11-22T10:02:00Z");

        List<VersionedWindow> sums = RollupPlan.sum(Set.of(a.parent()), List.of(
                new VersionedWindow(a, new UsageTotals(new BigDecimal("1.5"), 2), 3),
                new VersionedWindow(b, new UsageTotals(new BigDecimal("0.25"), 1), 1),
                new VersionedWindow(other, new UsageTotals(new BigDecimal("100"), 1), 9)));

        assertEquals(1, sums.size());
        assertEquals(0, new BigDecimal("1.75").compareTo(sums.get(0).totals().quantity()));
        assertEquals(3, sums.get(0).totals().events());
        assertEquals(4, sums.get(0).version());
    }

    @Test
    void dirtyMark_namesTheWindowAndItsParent() {
        UsageKey hour = new UsageKey("acme", Resource.STORAGE, UsageUnit.GB_HOURS, Granularity.HOUR, Instant.parse("2026-11-22T10:00:00Z"));
        var mark = UsageDirtyMarks.mark(hour);

        assertEquals(hour, UsageDirtyMarks.parse(Granularity.HOUR, mark.get(UsageDirtyMarks.SORT).s()));
        assertEquals("2026-11-22T00:00:00Z#acme#STORAGE#gb_hours#2026-11-22T10:00:00Z", mark.get(UsageDirtyMarks.SORT).s());
        assertEquals(true, mark.get(UsageDirtyMarks.PARTITION).s().startsWith("DIRTY#HOUR#"));
    }
}

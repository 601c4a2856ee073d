package com.poolhub.metering.billing.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.pricing.MonthToDate;
import com.poolhub.metering.pricing.Rate;
import com.poolhub.metering.pricing.RateKey;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.UsageLine;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvoiceBuilderTest {
    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final Instant GPU_CHANGE = TestPriceBook.GPU_CHANGE;

    static PriceBook book() {
        return TestPriceBook.book();
    }

    static UsageLine hour(String start, Resource resource, UsageUnit unit, String quantity) {
        return new UsageLine(new UsageKey("acme", resource, unit, Granularity.HOUR, Instant.parse(start)),
                new BigDecimal(quantity));
    }

    static List<UsageLine> octoberUsage() {
        return List.of(
                hour("2026-10-01T00:00:00Z", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "3600"),
                hour("2026-10-20T05:00:00Z", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "1800.5"),
                hour("2026-10-02T00:00:00Z", Resource.INFERENCE, UsageUnit.TOKENS, "800"),
                hour("2026-10-03T00:00:00Z", Resource.INFERENCE, UsageUnit.TOKENS, "500"));
    }

    private final InvoiceBuilder builder = new InvoiceBuilder(new UsagePricer(book()));

    @Test
    void invoice_pricesEachLineAtTheRateInForceAndTierUsed_totalsAreTheSumOfRoundedLines() {
        Invoice invoice = builder.invoice("acme", OCTOBER, InvoiceStatus.DRAFT, octoberUsage(), List.of(),
                Instant.parse("2026-10-25T00:00:00Z"));

        List<InvoiceLine> lines = invoice.lines();
        assertEquals(4, lines.size());
        assertEquals(new BigDecimal("3600"), lines.get(0).quantity());
        assertEquals(new BigDecimal("2.880000"), lines.get(0).cost());
        assertEquals(GPU_CHANGE, lines.get(1).rateEffectiveFrom());
        assertEquals(new BigDecimal("1.620450"), lines.get(1).cost());
        assertEquals(new BigDecimal("1000"), lines.get(2).quantity());
        assertEquals(0, lines.get(2).tier());
        assertEquals(new BigDecimal("2.000000"), lines.get(2).cost());
        assertEquals(new BigDecimal("300"), lines.get(3).quantity());
        assertEquals(1, lines.get(3).tier());
        assertEquals(new BigDecimal("0.450000"), lines.get(3).cost());
        assertEquals(new BigDecimal("6.950450"), invoice.totalUsd());
        assertEquals(new BigDecimal("27.801800"), invoice.totalTokens());
        TestPriceBook.assertReproducible(invoice);
    }

    @Test
    void invoice_forLateUsageOfAnIssuedMonth_addsOnlyTheDeltaAsAdjustmentLines() {
        Invoice october = builder.invoice("acme", OCTOBER, InvoiceStatus.ISSUED, octoberUsage(), List.of(),
                Instant.parse("2026-11-02T00:00:00Z"));
        List<UsageLine> lateOctober = new ArrayList<>(octoberUsage());
        lateOctober.add(hour("2026-10-20T06:00:00Z", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "100"));
        lateOctober.add(hour("2026-10-02T01:00:00Z", Resource.INFERENCE, UsageUnit.TOKENS, "100"));

        Invoice november = builder.invoice("acme", OCTOBER.plusMonths(1), InvoiceStatus.DRAFT,
                List.of(hour("2026-11-03T00:00:00Z", Resource.GPU, UsageUnit.COMPUTE_SECONDS, "10")),
                List.of(new InvoiceBuilder.PriorMonth(OCTOBER, lateOctober, october.lines())),
                Instant.parse("2026-11-10T00:00:00Z"));

        List<InvoiceLine> adjustments = november.lines().stream()
                .filter(l -> l.kind() == InvoiceLine.Kind.ADJUSTMENT).toList();
        assertEquals(2, adjustments.size());
        assertEquals(OCTOBER, adjustments.get(0).usageMonth());
        assertEquals(0, new BigDecimal("100").compareTo(adjustments.get(0).quantity()));
        assertEquals(GPU_CHANGE, adjustments.get(0).rateEffectiveFrom());
        assertEquals(new BigDecimal("0.090000"), adjustments.get(0).cost());
        assertEquals(1, adjustments.get(1).tier(), "the late tokens land above the first tier");
        assertEquals(new BigDecimal("0.150000"), adjustments.get(1).cost());
        assertEquals(new BigDecimal("0.240000"), november.adjustmentsUsd());
        Invoice repriced = builder.invoice("acme", OCTOBER, InvoiceStatus.DRAFT, lateOctober, List.of(), Instant.EPOCH);
        assertEquals(repriced.totalUsd(), october.totalUsd().add(november.adjustmentsUsd()),
                "the issued invoice plus its adjustments equal the month priced as it stands");
        TestPriceBook.assertReproducible(november);
    }

    @Test
    void invoiceLines_areTheUsageApisMonthLines_withARateChangeAtAnHourThatDoesNotStartADay() {
        Instant change = Instant.parse("2026-10-20T13:00:00Z");
        UsagePricer pricer = new UsagePricer(book().with(Rate.flat(
                new RateKey(Resource.GPU, UsageUnit.COMPUTE_SECONDS), change,
                new BigDecimal("0.00095"))));
        List<UsageLine> hours = new ArrayList<>();
        for (int h = 0; h < 48; h++) {
            Instant start = Instant.parse("2026-10-20T00:00:00Z").plusSeconds(3600L * h);
            hours.add(hour(start.toString(), Resource.GPU, UsageUnit.COMPUTE_SECONDS, "1234.5" + h));
            hours.add(hour(start.toString(), Resource.INFERENCE, UsageUnit.TOKENS, "33.3" + h));
        }

        List<InvoiceLine> invoiced = new InvoiceBuilder(pricer).lines(OCTOBER, hours, InvoiceLine.Kind.USAGE);
        List<String> monthLines = new ArrayList<>();
        pricer.priceHours(hours, Granularity.MONTH, MonthToDate.empty()).forEach(line ->
                monthLines.add(line.key().resource() + " " + line.quantity() + " x " + line.unitRate() + " from "
                        + line.rateEffectiveFrom() + " tier " + line.tier() + " = " + line.cost()));

        assertEquals(monthLines, invoiced.stream().map(line -> line.resource() + " " + line.quantity() + " x "
                + line.unitRate() + " from " + line.rateEffectiveFrom() + " tier " + line.tier() + " = " + line.cost()).toList());
        // GPU: 13 hours before 13:00 at 0.0009, the other 35 at 0.00095; tokens cross the 1000 tier bound
        assertEquals(List.of(GPU_CHANGE, change), invoiced.stream().filter(line -> line.resource() == Resource.GPU)
                .map(InvoiceLine::rateEffectiveFrom).toList());
        BigDecimal gpuBefore = BigDecimal.ZERO;
        for (int h = 0; h < 13; h++) {
            gpuBefore = gpuBefore.add(new BigDecimal("1234.5" + h));
        }
        assertEquals(0, gpuBefore.compareTo(invoiced.get(0).quantity()));
        assertEquals(List.of(0, 1), invoiced.stream().filter(line -> line.resource() == Resource.INFERENCE)
                .map(InvoiceLine::tier).toList());
    }

    @Test
    void adjustments_whenNothingChanged_areEmpty() {
        List<InvoiceLine> lines = builder.lines(OCTOBER, octoberUsage(), InvoiceLine.Kind.USAGE);
        assertEquals(List.of(), InvoiceBuilder.adjustments(builder.lines(OCTOBER, octoberUsage(), InvoiceLine.Kind.ADJUSTMENT), lines));
        assertEquals(Money.ZERO, Invoice.of("acme", OCTOBER, InvoiceStatus.DRAFT, List.of(), book().tokenPriceAt(TestPriceBook.START),
                Instant.EPOCH).totalUsd());
    }
}

package com.poolhub.metering.billing.function;

import com.poolhub.metering.aws.pricing.PriceOverrideSettings;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.PriceBookJson;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Invoice settings from the environment.
 *
 * @param closeDelay       {@code INVOICE_CLOSE_DELAY_HOURS} (24): a month's invoice is issued this long after the month ends
 * @param adjustmentMonths {@code INVOICE_ADJUSTMENT_MONTHS} (2): earlier issued months an invoice adjusts for late usage
 * @param priceBook        {@code PRICE_BOOK_FILE} if set, else the price book shipped with the project
 * @param overrideTtl      {@code PRICE_OVERRIDE_CACHE_SECONDS} (60): how long a container keeps a tenant's price overrides
 */
public record InvoiceSettings(Duration closeDelay, int adjustmentMonths, PriceBook priceBook, Duration overrideTtl) {

    /** Settings with overrides cached the default {@value PriceOverrideSettings#DEFAULT_CACHE_SECONDS} seconds. */
    public InvoiceSettings(Duration closeDelay, int adjustmentMonths, PriceBook priceBook) {
        this(closeDelay, adjustmentMonths, priceBook, Duration.ofSeconds(PriceOverrideSettings.DEFAULT_CACHE_SECONDS));
    }

    public static InvoiceSettings fromEnv(Env env) {
        int months = env.intValue("INVOICE_ADJUSTMENT_MONTHS", 2);
        if (months < 0) {
            throw new IllegalStateException("environment variable INVOICE_ADJUSTMENT_MONTHS must be >= 0");
        }
        PriceBook book = env.isSet("PRICE_BOOK_FILE")
                ? PriceBookJson.file(Path.of(env.required("PRICE_BOOK_FILE")))
                : PriceBookJson.shipped();
        return new InvoiceSettings(Duration.ofHours(env.intValue("INVOICE_CLOSE_DELAY_HOURS", 24)), months, book,
                PriceOverrideSettings.cacheTtl(env));
    }
}

package com.poolhub.metering.usageapi.function;

import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.aws.pricing.DynamoPriceOverrideStore;
import com.poolhub.metering.aws.pricing.PriceOverrideSettings;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.TenantPricing;
import java.time.Clock;
import java.time.Duration;
import com.poolhub.metering.pricing.PriceBookJson;
import com.poolhub.metering.usageapi.UsageCosts;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The settings the usage route and the anomaly scan share, from the environment: {@code USAGE_TABLE}
 * (required), {@code PRICE_BOOK_FILE} (optional: a price book file instead of the one shipped),
 * {@code ANOMALY_Z_THRESHOLD} (3.5), {@code ANOMALY_IQR_MULTIPLIER} (3) and {@code ANOMALY_MIN_DAYS} (7);
 * tenants' price overrides from {@code BILLING_TABLE} (required), cached {@code PRICE_OVERRIDE_CACHE_SECONDS} (60).
 */
record AnomalySettings(String table, PriceBook book, AnomalyDetector detector, String billingTable, Duration overrideTtl) {
    static AnomalySettings fromEnv(Env env) {
        PriceBook book = env.isSet("PRICE_BOOK_FILE") ? PriceBookJson.file(Path.of(env.required("PRICE_BOOK_FILE")))
                : PriceBookJson.shipped();
        AnomalyDetector detector = new AnomalyDetector(env.decimal("ANOMALY_Z_THRESHOLD", "3.5").doubleValue(),
                env.decimal("ANOMALY_IQR_MULTIPLIER", "3").doubleValue(), env.intValue("ANOMALY_MIN_DAYS", 7));
        return new AnomalySettings(Table.USAGE.name(env), book, detector, Table.BILLING.name(env),
                PriceOverrideSettings.cacheTtl(env));
    }

    UsageCosts costs(DynamoDbClient dynamo) {
        return new UsageCosts(new DynamoUsageReader(dynamo, table), new TenantPricing(book,
                new DynamoPriceOverrideStore(dynamo, billingTable), overrideTtl, Clock.systemUTC()));
    }
}

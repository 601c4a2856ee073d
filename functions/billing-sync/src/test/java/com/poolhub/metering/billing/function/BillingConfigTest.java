package com.poolhub.metering.billing.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingConfigTest {
    private static Map<String, String> complete() {
        Map<String, String> values = new HashMap<>();
        values.put("USAGE_TABLE", "usage");
        values.put("BILLING_TABLE", "billing");
        values.put("COORDINATOR_BILLING_URL", "https://coordinator.example/api/v1");
        values.put("COORDINATOR_API_KEY_SECRET", "arn:aws:secretsmanager:us-east-1:123456789012:secret:coordinator");
        values.put("EVENT_BUS_NAME", "poolhub");
        return values;
    }

    @Test
    void syncFromEnv_readsDefaultsAndKeepsOnlyTheSecretName() {
        BillingConfig config = BillingConfig.syncFromEnv(new Env(complete()));

        assertEquals(URI.create("https://coordinator.example/api/v1"), config.coordinatorUrl());
        assertEquals("arn:aws:secretsmanager:us-east-1:123456789012:secret:coordinator", config.apiKeySecret());
        assertEquals(Duration.ofMinutes(15), config.sync().settle());
        assertEquals(4, config.sync().retry().maxAttempts());
        assertEquals(Duration.ofSeconds(5), config.requestTimeout());
    }

    @Test
    void syncFromEnv_failsNamingAMissingOrMalformedVariable() {
        Map<String, String> missing = complete();
        missing.remove("COORDINATOR_API_KEY_SECRET");
        IllegalStateException noSecret = assertThrows(IllegalStateException.class,
                () -> BillingConfig.syncFromEnv(new Env(missing)));
        assertEquals("missing environment variable COORDINATOR_API_KEY_SECRET", noSecret.getMessage());

        Map<String, String> relative = complete();
        relative.put("COORDINATOR_BILLING_URL", "coordinator/usage");
        IllegalStateException badUrl = assertThrows(IllegalStateException.class,
                () -> BillingConfig.syncFromEnv(new Env(relative)));
        assertEquals("environment variable COORDINATOR_BILLING_URL must be an absolute URL: coordinator/usage",
                badUrl.getMessage());
    }

    @Test
    void invoiceSettings_defaultToADayAfterTheMonthAndTwoMonthsOfAdjustments() {
        InvoiceSettings settings = InvoiceSettings.fromEnv(new Env(Map.of()));
        assertEquals(Duration.ofHours(24), settings.closeDelay());
        assertEquals(2, settings.adjustmentMonths());
    }
}

package com.poolhub.metering.billing.aws;

import com.poolhub.metering.billing.ApiKeySource;
import com.poolhub.metering.billing.BillingJson;
import com.poolhub.metering.billing.CoordinatorBilling;
import com.poolhub.metering.billing.UsageRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The coordinator billing API over HTTP: {@code POST {baseUrl}/usage} with the JSON body of
 * {@link BillingJson#wire}, headers {@code Authorization: Bearer <key>}, {@code Idempotency-Key} and
 * {@code Content-Type: application/json}. Any 2xx is accepted (a replayed key answers with the
 * original result). 401 and 403 drop the cached key and count as retryable (the secret may have been
 * rotated); 408, 425, 429, 5xx, timeouts and broken connections are retryable; any other status is a
 * refusal.
 */
public final class HttpCoordinatorBilling implements CoordinatorBilling {
    private final URI usageUri;
    private final ApiKeySource apiKey;
    private final HttpClient http;
    private final Duration requestTimeout;

    public HttpCoordinatorBilling(URI baseUrl, ApiKeySource apiKey, HttpClient http, Duration requestTimeout) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.usageUri = URI.create(base + "/usage");
        this.apiKey = apiKey;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /** An HTTP client with a connect timeout, built once per container. */
    public static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public Submission submit(UsageRecord record) {
        String key = apiKey.apiKey();
        HttpRequest request = HttpRequest.newBuilder(usageUri)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", record.idempotencyKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BillingJson.wire(record).toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return Submission.retryable("timed out after " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("WWW-Authenticate header missing")) {
                // java.net.http reports a 401 without a challenge header as an IOException
                apiKey.invalidate();
                return Submission.retryable("HTTP 401");
            }
            return Submission.retryable("connection failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to the billing API", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Submission.accepted();
        }
        String detail = "HTTP " + status + summary(response.body(), key);
        if (status == 401 || status == 403) {
            apiKey.invalidate();
            return Submission.retryable(detail);
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return Submission.retryable(detail);
        }
        return Submission.rejected(detail);
    }

    /** The start of an error body, with the key cut out should the coordinator echo it back. */
    private static String summary(String body, String key) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.replace(key, "[redacted]").replaceAll("\\s+", " ").trim();
        return ": " + (flat.length() > 200 ? flat.substring(0, 200) : flat);
    }
}

package com.poolhub.metering.quota.function;

import static com.poolhub.metering.quota.function.QuotaFixture.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.UsageEventJson;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** PUT /quota/limits in the middle of a period: the quota starts from the period's usage so far. */
class QuotaSetMidPeriodTest {
    private static final String GPU_DAY_100000 = """
            {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"100000","hard":true}""";

    private final QuotaFixture fx = new QuotaFixture();

    private void ingestMorning(String id, String gpuSeconds, Instant at) {
        new UsageIngestion(fx.tables.get(Table.USAGE), fx.tables.get(Table.REJECTS), QuotaFixture.LATE_ARRIVAL_LIMIT,
                Duration.ofDays(35), 2).pipeline(fx.dynamo, fx.clock)
                .process(KinesisBatch.records(KinesisEvents.shard("shardId-000000000000", id.hashCode() & 0xffff)
                        .record("acme", UsageEventJson.gpuSeconds(id, "acme", gpuSeconds, at)).build()));
    }

    private APIGatewayProxyResponseEvent consume(String amount) {
        return fx.call(QuotaFixture.consume("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":"%s"}""".formatted(amount)));
    }

    @Test
    void hardDayLimitSetAtNoon_after90000ThatMorning_grantsOnly10000More() {
        ingestMorning("m1", "50000", Instant.parse("2026-11-22T07:00:00Z"));
        ingestMorning("m2", "40000", Instant.parse("2026-11-22T10:30:00Z"));

        assertEquals(200, fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100000)).getStatusCode());

        APIGatewayProxyResponseEvent tooMuch = consume("50000");
        assertEquals(429, tooMuch.getStatusCode(), tooMuch.getBody());
        APIGatewayProxyResponseEvent check = fx.call(QuotaFixture.check("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":"0"}"""));
        assertEquals("90000", body(check).get("used").asText(), check.getBody());
        APIGatewayProxyResponseEvent rest = consume("10000");
        assertEquals(200, rest.getStatusCode(), rest.getBody());
        assertEquals("0", body(rest).get("remaining").asText());
    }

    @Test
    void limitRaisedLaterTheSameDay_keepsTheUseSoFar() {
        ingestMorning("m1", "90000", Instant.parse("2026-11-22T07:00:00Z"));
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100000));
        assertEquals(200, consume("4000").getStatusCode());

        fx.clock.advance(Duration.ofHours(3));
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100000.replace("100000", "120000")));

        APIGatewayProxyResponseEvent overview = fx.call(QuotaFixture.overview("acme", "ADMIN", "ops-admin"));
        assertEquals("94000", body(overview).get("quotas").get(0).get("used").asText(), overview.getBody());
        assertEquals(429, consume("26000.000000001").getStatusCode());
        assertEquals(200, consume("26000").getStatusCode());
    }
}

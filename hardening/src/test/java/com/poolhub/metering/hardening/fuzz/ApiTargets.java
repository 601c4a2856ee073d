package com.poolhub.metering.hardening.fuzz;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.audit.function.AuditApiFunction;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.billing.function.BillingApiFunction;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.config.UsageRetention;
import com.poolhub.metering.hardening.support.LocalStack;
import com.poolhub.metering.pricing.PriceBookJson;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.quota.function.QuotaFunction;
import com.poolhub.metering.quota.function.QuotaService;
import com.poolhub.metering.sla.api.SlaApi;
import com.poolhub.metering.sla.api.SlaApiFunction;
import com.poolhub.metering.usageapi.UsageApi;
import com.poolhub.metering.ingest.function.ProducerKeysApiFunction;
import com.poolhub.metering.ingest.function.RejectsApiFunction;
import com.poolhub.metering.ingest.producers.ProducerKeysApi;
import com.poolhub.metering.aws.signing.SecretsManagerSigningKeys;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.ingest.rejects.RejectOperations;
import com.poolhub.metering.ingest.rejects.RejectsApi;
import com.poolhub.metering.usageapi.UsageCosts;
import com.poolhub.metering.usageapi.UsageTenants;
import com.poolhub.metering.usageapi.function.UsageApiFunction;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every API function on main, wired on local tables as in production, with the prefix of its sample
 * API Gateway events in {@code events/} (the fuzz seeds). Adding a function is one line here.
 */
final class ApiTargets {
    /** An API function under test. */
    record ApiTarget(String name, String samplePrefix,
                     Function<LocalStack, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> handler) {
    }

    static final List<ApiTarget> ALL = List.of(
            new ApiTarget("QuotaFunction", "quota-", local -> new QuotaFunction(new QuotaService(
                    new DynamoQuotaStore(local.dynamo(), local.table(Table.QUOTAS)), local.publisher(), local.clock()),
                    DynamoAuditLog.fromEnv(local.dynamo(), local.env(), local.clock()))),
            new ApiTarget("UsageApiFunction", "usage-api-", local -> new UsageApiFunction(new UsageApi(
                    new UsageCosts(new DynamoUsageReader(local.dynamo(), local.table(Table.USAGE)),
                            new UsagePricer(PriceBookJson.shipped())),
                    new UsageTenants(local.dynamo(), local.table(Table.USAGE)),
                    new AnomalyDetector(3.5, 3, 7), UsageRetention.fromEnv(local.env()), local.clock()))),
            new ApiTarget("SlaApiFunction", "sla-api-", local -> new SlaApiFunction(sla(local))),
            new ApiTarget("RejectsApiFunction", "rejects-api-", local -> new RejectsApiFunction(new RejectsApi(
                    RejectOperations.fromEnv(local.dynamo(), local.env(), local.clock())))),
            new ApiTarget("BillingApiFunction", "billing-api-get-", local -> {
                BillingApiFunction.Deployed deployed = BillingApiFunction.Deployed.of(local.env(), local.dynamo(), local.clock());
                return new BillingApiFunction(new ApiRouter(), deployed.routes(), deployed.pricing());
            }),
            new ApiTarget("AuditApiFunction", "audit-api-", local -> new AuditApiFunction(
                    AuditApiFunction.routes(local.dynamo(), local.env(), local.clock()))),
            new ApiTarget("ProducerKeysApiFunction", "producer-keys-api-", local -> new ProducerKeysApiFunction(
                    new ProducerKeysApi(new SecretsManagerSigningKeys(LocalAws.secretsManager(),
                            "poolhub/fuzz-" + UUID.randomUUID() + "/producer-keys/"),
                            DynamoAuditLog.fromEnv(local.dynamo(), local.env(), local.clock()), local.clock())))
    );

    private static SlaApi sla(LocalStack local) {
        SlaCollection collection = SlaCollection.fromEnv(local.env());
        return new SlaApi(collection.collector(local.dynamo(), local.publisher(), local.clock()),
                collection.requests(local.dynamo(), local.publisher(), local.clock()),
                collection.repository(local.dynamo()), local.clock(), collection.settings().forecastHours(),
                DynamoAuditLog.fromEnv(local.dynamo(), local.env(), local.clock()));
    }

    private ApiTargets() {
    }
}

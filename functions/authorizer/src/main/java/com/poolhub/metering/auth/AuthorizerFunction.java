package com.poolhub.metering.auth;

import com.poolhub.metering.logging.LambdaLogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import java.util.List;
import java.util.Map;

/**
 * API Gateway TOKEN authorizer: reads {@code Authorization: Bearer <key>}, and for a live key answers
 * with a policy allowing the API's methods and the context {@code {"role", "principal", "keyId"}} the routes
 * read through {@link Caller}. A missing, malformed, unknown or revoked key fails with
 * {@code Unauthorized}, which API Gateway turns into a 401. The policy covers the whole API because
 * API Gateway caches it per key for every route; each route still checks the caller.
 */
public final class AuthorizerFunction implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {
    /** The message API Gateway maps to 401. */
    public static final String UNAUTHORIZED = "Unauthorized";

    private final ApiKeys keys;
    @SuppressWarnings("unused") // held so that CRaC, which keeps resources weakly, runs the primer
    private final SnapStartPriming priming;

    /** Used by Lambda: the key table from {@code API_KEYS_TABLE}. */
    public AuthorizerFunction() {
        this(ApiKeys.fromEnvironment());
    }

    public AuthorizerFunction(ApiKeys keys) {
        this.keys = keys;
        this.priming = SnapStartPriming.register("Authorizer", AuthorizerFunction::prime);
    }

    /** The hot path without the key store: a key parsed and hashed, a policy built and serialised. */
    static void prime() {
        ApiKey key = ApiKey.generate();
        ApiKey.fromBearer("Bearer " + key.value()).filter(k -> k.matches(key.hash()))
                .map(k -> policy(new Caller(Caller.Role.TENANT, "priming"), k.id(), "arn:aws:execute-api:us-east-1:0:api/stage/GET/x"))
                .map(com.poolhub.metering.json.Json.mapper()::valueToTree)
                .orElseThrow();
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event, context);
        }
    }

    private IamPolicyResponseV1 handle(APIGatewayCustomAuthorizerEvent event, Context context) {
        String token = event == null ? null : event.getAuthorizationToken();
        Caller caller = keys.authenticate(token).orElseThrow(() -> new SecurityException(UNAUTHORIZED));
        String keyId = ApiKey.fromBearer(token).map(ApiKey::id).orElseThrow(() -> new SecurityException(UNAUTHORIZED));
        return policy(caller, keyId, event.getMethodArn());
    }

    private static IamPolicyResponseV1 policy(Caller caller, String keyId, String methodArn) {
        return IamPolicyResponseV1.builder()
                .withPrincipalId(caller.role().name() + ":" + caller.id())
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponseV1.allowStatement(apiWide(methodArn))))
                        .build())
                .withContext(Map.of(Caller.ROLE_KEY, caller.role().name(), Caller.ID_KEY, caller.id(),
                        ApiRequest.KEY_ID, keyId))
                .build();
    }

    /** {@code arn:aws:execute-api:region:account:apiId/stage/METHOD/path} to {@code .../stage/*}. */
    static String apiWide(String methodArn) {
        if (methodArn == null) {
            return "*";
        }
        String[] parts = methodArn.split("/");
        return parts.length >= 2 ? parts[0] + "/" + parts[1] + "/*" : methodArn;
    }
}

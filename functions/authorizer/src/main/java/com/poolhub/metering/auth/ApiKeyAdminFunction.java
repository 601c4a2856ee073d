package com.poolhub.metering.auth;

import com.poolhub.metering.logging.LambdaLogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.poolhub.metering.api.Caller;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.json.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's key tool, invoked directly (never through the API):
 * {@code {"action": "issue", "role": "TENANT", "principal": "acme"}} answers with the new key, the
 * only time it is shown; {@code {"action": "revoke", "keyId": "..."}} revokes a key. Each issue and
 * revocation writes its audit record first (role {@code OPERATOR}, the invocation's request id); when
 * that fails, the key is not issued or revoked and the answer says so.
 */
public final class ApiKeyAdminFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final ApiKeys keys;
    private final AuditLog audit;

    public ApiKeyAdminFunction() {
        this(ApiKeys.fromEnvironment(), DynamoAuditLog.fromEnv(AwsClients.dynamoDb(), Env.system(), Clock.systemUTC()));
    }

    /** @param audit where each issue and revocation is recorded before it is made */
    public ApiKeyAdminFunction(ApiKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> request, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(request, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> request, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        String action = request == null ? null : String.valueOf(request.get("action"));
        try {
            if ("issue".equals(action)) {
                Caller.Role role = role(request.get("role"));
                String principal = String.valueOf(request.get("principal"));
                AuditActor operator = AuditActor.invoker(AuditActor.OPERATOR, getClass().getSimpleName(),
                        context == null ? null : context.getAwsRequestId());
                ApiKey key = keys.issue(role, principal, record -> audit.append(operator,
                        new AuditChange(AuditTypes.API_KEY_ISSUED, record.id(), null, state(record))));
                answer.put("keyId", key.id());
                answer.put("role", role.name());
                answer.put("principal", principal);
                answer.put("apiKey", key.value());
            } else if ("revoke".equals(action)) {
                String id = String.valueOf(request.get("keyId"));
                answer.put("keyId", id);
                AuditActor operator = AuditActor.invoker(AuditActor.OPERATOR, getClass().getSimpleName(),
                        context == null ? null : context.getAwsRequestId());
                answer.put("revoked", keys.revoke(id, record -> audit.append(operator,
                        new AuditChange(AuditTypes.API_KEY_REVOKED, record.id(), state(record), null))));
            } else {
                answer.put("error", "expected {\"action\": \"issue\", \"role\": \"ADMIN|TENANT|MINER\", \"principal\": \"id\"}"
                        + " or {\"action\": \"revoke\", \"keyId\": \"id\"}");
            }
        } catch (IllegalArgumentException e) {
            answer.put("error", e.getMessage());
        } catch (AuditUnavailableException e) {
            answer.put("error", "the change could not be recorded in the audit trail, so it was not made; try again");
        }
        return answer;
    }

    /** What the audit trail keeps of a key: never the key nor its hash. */
    private static ObjectNode state(ApiKeyRecord record) {
        return Json.object().put("keyId", record.id()).put("role", record.role().name())
                .put("principal", record.principal()).put("createdAt", record.createdAt().toString());
    }

    private static Caller.Role role(Object value) {
        try {
            return Caller.Role.valueOf(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be ADMIN, TENANT or MINER");
        }
    }
}

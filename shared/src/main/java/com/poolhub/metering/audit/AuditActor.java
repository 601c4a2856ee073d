package com.poolhub.metering.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.logging.LambdaLogContext;
import java.util.Map;

/**
 * Who made an audited change: the API key's id (null where no key was used, as for an operator's
 * direct invoke), the role and principal the authorizer established, and the request id that ties
 * the record to the request's logs (API Gateway's, or the Lambda invocation's).
 */
public record AuditActor(String keyId, String role, String principal, String requestId) {
    /** The authorizer context key holding the id of the API key that was presented. */
    public static final String KEY_ID = "keyId";
    /** The role of an operator acting by invoking a function directly (key tool, reject replay). */
    public static final String OPERATOR = "OPERATOR";
    /** The role of the system acting on a schedule (billing sync, invoice issuance). */
    public static final String SYSTEM = "SYSTEM";

    public AuditActor {
        if (role == null || role.isBlank() || principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("an audit actor needs a role and a principal");
        }
    }

    /** The caller of an API request: its key id and the request id from API Gateway's request context. */
    public static AuditActor of(ApiRequest request) {
        Caller caller = request.caller();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = request.event().getRequestContext();
        Map<String, Object> authorizer = context == null ? null : context.getAuthorizer();
        Object keyId = authorizer == null ? null : authorizer.get(KEY_ID);
        String requestId = context == null ? null : context.getRequestId();
        return new AuditActor(keyId == null ? null : keyId.toString(), caller.role().name(), caller.id(), requestId);
    }

    /**
     * The system acting on its own (a schedule), as {@code principal} (the function's name), with the
     * request id of the invocation running on this thread.
     */
    public static AuditActor system(String principal) {
        return new AuditActor(null, SYSTEM, principal, LambdaLogContext.requestId());
    }

    /**
     * Whoever invoked a function directly, as a role ({@link #OPERATOR} or {@link #SYSTEM}) and a
     * principal (the function's name), with the invocation's request id when Lambda gave a context.
     */
    public static AuditActor invoker(String role, String principal, Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        return new AuditActor(null, role, principal, requestId);
    }
}

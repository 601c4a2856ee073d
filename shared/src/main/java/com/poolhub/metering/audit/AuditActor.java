package com.poolhub.metering.audit;

import com.poolhub.metering.logging.LambdaLogContext;

/**
 * Who made an audited change: the API key's id (null where no key was used, as for an operator's
 * direct invoke), the role and principal the authorizer established, and the request id that ties
 * the record to the request's logs (API Gateway's, or the Lambda invocation's). An API request's
 * actor comes from {@link com.poolhub.metering.api.ApiRequest#auditActor()}.
 */
public record AuditActor(String keyId, String role, String principal, String requestId) {
    /** The role of an operator acting by invoking a function directly (key tool, reject replay). */
    public static final String OPERATOR = "OPERATOR";
    /** The role of the system acting on a schedule (billing sync, invoice issuance). */
    public static final String SYSTEM = "SYSTEM";

    public AuditActor {
        if (role == null || role.isBlank() || principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("an audit actor needs a role and a principal");
        }
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
     * principal (the function's name), with the invocation's request id (null without one).
     */
    public static AuditActor invoker(String role, String principal, String requestId) {
        return new AuditActor(null, role, principal, requestId);
    }
}

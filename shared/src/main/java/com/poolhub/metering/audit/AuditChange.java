package com.poolhub.metering.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.regex.Pattern;

/**
 * What an audited change did: its type ({@link AuditTypes}), the subject it changed (a tenant, a key
 * id, a stream and day, an invoice), and the state before and after it as JSON (null where there was
 * none, as before a first limit or after a revocation).
 */
public record AuditChange(String type, String subject, JsonNode before, JsonNode after) {
    /** What a type must look like: upper case words joined by underscores. */
    public static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    public AuditChange {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("an audit type must match " + TYPE.pattern());
        }
        if (subject == null || subject.isBlank() || subject.length() > 256) {
            throw new IllegalArgumentException("an audit subject must be 1 to 256 characters");
        }
        before = before == null ? NullNode.getInstance() : before;
        after = after == null ? NullNode.getInstance() : after;
    }
}

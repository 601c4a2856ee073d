package com.poolhub.metering.audit.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.ChainLink;
import com.poolhub.metering.audit.ChainProblem;
import com.poolhub.metering.audit.ChainVerification;
import com.poolhub.metering.json.Json;

/**
 * Audit records and chain verifications as the API and the command write them: every field of a
 * record as the canonical form holds it, so a reader can recompute its hash (docs/audit.md).
 */
public final class AuditJson {
    private AuditJson() {
    }

    public static ObjectNode record(AuditRecord record) {
        ObjectNode out = Json.object();
        out.put("day", record.day().toString());
        out.put("sequence", record.sequence());
        // the exact instant, as the canonical form holds it, so a reader can recompute the hash
        out.put("at", record.at().toString());
        out.put("keyId", record.actor().keyId());
        out.put("role", record.actor().role());
        out.put("principal", record.actor().principal());
        out.put("requestId", record.actor().requestId());
        out.put("type", record.change().type());
        out.put("subject", record.change().subject());
        out.set("before", record.change().before());
        out.set("after", record.change().after());
        ObjectNode previous = out.putObject("previous");
        ChainLink link = record.previous();
        previous.put("day", link.isGenesis() ? null : link.day().toString());
        previous.put("sequence", link.sequence());
        previous.put("hash", link.hash());
        out.put("hash", record.hash());
        return out;
    }

    public static ObjectNode verification(ChainVerification verification) {
        ObjectNode out = Json.object();
        out.put("day", verification.day().toString());
        out.put("intact", verification.intact());
        out.put("records", verification.records());
        out.put("firstHash", verification.firstHash());
        out.put("lastHash", verification.lastHash());
        out.put("predecessorChecked", verification.predecessorChecked());
        ArrayNode problems = out.putArray("problems");
        for (ChainProblem problem : verification.problems()) {
            problems.addObject().put("kind", problem.kind().name()).put("sequence", problem.sequence())
                    .put("detail", problem.detail());
        }
        return out;
    }
}

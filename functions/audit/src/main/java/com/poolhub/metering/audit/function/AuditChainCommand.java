package com.poolhub.metering.audit.function;

import com.poolhub.metering.audit.AuditChainCheck;
import com.poolhub.metering.audit.ChainVerification;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.json.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Verifies the audit chain of a table day by day, from the command line:
 * {@code java -cp functions/audit/target/audit-1.0.0-SNAPSHOT.jar com.poolhub.metering.audit.function.AuditChainCommand
 * --table poolhub-audit-prod [--from 2026-11-01] [--to 2026-12-04] [--retention-days 400]}
 * (days inclusive; both default to today, UTC). Prints one JSON line per day and a summary line;
 * exits 0 when every day is intact, 1 when any is not, 2 on bad arguments. Credentials, region and
 * endpoint come from the usual AWS environment.
 */
public final class AuditChainCommand {
    /** Exit codes. */
    static final int INTACT = 0;
    static final int DAMAGED = 1;
    static final int USAGE = 2;
    /** Most days one run verifies. */
    static final long MAX_DAYS = 800;
    static final String USAGE_TEXT = "usage: AuditChainCommand --table NAME [--from yyyy-MM-dd] [--to yyyy-MM-dd] "
            + "[--retention-days N]";

    private AuditChainCommand() {
    }

    public static void main(String[] args) {
        int code;
        try (DynamoDbClient dynamo = AwsClients.dynamoDb()) {
            code = run(args, dynamo, Clock.systemUTC(), System.out, System.err);
        }
        System.exit(code);
    }

    /** Runs the command; returns its exit code. */
    static int run(String[] args, DynamoDbClient dynamo, Clock clock, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println(USAGE_TEXT);
                return USAGE;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        String table = options.get("table");
        LocalDate from;
        LocalDate to;
        int retentionDays;
        try {
            from = LocalDate.parse(options.getOrDefault("from", options.getOrDefault("to", today.toString())));
            to = LocalDate.parse(options.getOrDefault("to", today.toString()));
            retentionDays = Integer.parseInt(options.getOrDefault("retention-days",
                    Integer.toString(DynamoAuditLog.DEFAULT_RETENTION_DAYS)));
        } catch (DateTimeParseException | NumberFormatException e) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        options.keySet().removeAll(java.util.Set.of("table", "from", "to", "retention-days"));
        if (table == null || !options.isEmpty() || from.isAfter(to) || ChronoUnit.DAYS.between(from, to) >= MAX_DAYS
                || retentionDays < 1) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Duration retention = Duration.ofDays(retentionDays);
        AuditChainCheck check = new AuditChainCheck(new DynamoAuditLog(dynamo, table, retention, clock), clock, retention);
        int damaged = 0;
        int records = 0;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            ChainVerification verification = check.verify(day);
            out.println(Json.write(AuditJson.verification(verification)));
            records += verification.records();
            if (!verification.intact()) {
                damaged++;
            }
        }
        out.println(Json.write(Json.object().put("table", table).put("from", from.toString()).put("to", to.toString())
                .put("records", records).put("damagedDays", damaged).put("intact", damaged == 0)));
        return damaged == 0 ? INTACT : DAMAGED;
    }
}

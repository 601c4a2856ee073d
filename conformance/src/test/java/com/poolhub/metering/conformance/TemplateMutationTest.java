package com.poolhub.metering.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.localrun.SamTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Mutated copies of the real template: each removes or breaks one thing, and the check must name
 * exactly that failure.
 */
class TemplateMutationTest {
    private static final Path ROOT = TemplateConformanceTest.ROOT;

    @Test
    void missingHandlerClass_isReported() {
        // a module with one handler: without its handler a function is judged by its whole module
        assertOnlyProblem(t -> t.replace("com.poolhub.metering.sla.api.SlaApiFunction::handleRequest",
                        "com.poolhub.metering.sla.api.SlaApiHandler::handleRequest"),
                "SlaApiFunction: handler class com.poolhub.metering.sla.api.SlaApiHandler does not exist");
    }

    @Test
    void handlerTakingTheWrongEventType_isReported() {
        List<String> problems = problems(t -> t.replace("Handler: com.poolhub.metering.quota.function.QuotaFunction::handleRequest",
                        "Handler: com.poolhub.metering.ingest.function.UsageIngestFunction::handleRequest")
                .replace("CodeUri: functions/quota/target/quota-1.0.0-SNAPSHOT.jar",
                        "CodeUri: functions/usage-ingest/target/usage-ingest-1.0.0-SNAPSHOT.jar"));

        assertTrue(problems.contains(
                "QuotaFunction: event Check (Api) sends APIGatewayProxyRequestEvent but UsageIngestFunction takes KinesisEvent"), problems::toString);
    }

    @Test
    void missingRoute_isReported() {
        List<String> problems = problems(t -> t.replace("        GetTrend:\n          Type: Api\n"
                + "          Properties: {RestApiId: !Ref MeteringApi, Path: '/usage/{tenant}/trend', Method: GET}\n", ""));

        assertEquals(List.of("contract route GET /usage/{tenant}/trend is not wired to any function in the template",
                "events/usage-api-get-trend.json belongs to no function of the template"
                        + " (an API request must match a wired route; another event is named <function>-....json)"), problems);
    }

    @Test
    void missingVariable_isReported() {
        assertOnlyProblem(t -> removeLineIn(t, "UsageAggregatorFunction:", "          ROLLUP_MAX_MARKS: !Ref RollupMaxMarks"),
                "UsageAggregatorFunction: the code reads ROLLUP_MAX_MARKS but the template does not set it");
    }

    @Test
    void missingTableVariableAndPolicy_areReported() {
        List<String> problems = problems(t -> removeLineIn(removeLineIn(removeLineIn(t, "QuotaFunction:",
                        "          QUOTAS_TABLE: !Ref QuotasTable"), "QuotaFunction:", "        - DynamoDBCrudPolicy:"),
                "QuotaFunction:", "            TableName: !Ref QuotasTable"));

        assertEquals(List.of("QuotaFunction: the code reads QUOTAS_TABLE but the template does not set it",
                "QuotaFunction: uses table QUOTAS but no policy names QuotasTable"), problems);
    }

    @Test
    void handlerSharingAJar_isJudgedByWhatItReaches() {
        List<String> problems = problems(t -> removeLineIn(removeLineIn(t, "RejectReplayFunction:",
                "          TELEMETRY_TABLE: !Ref TelemetryTable"), "RejectReplayFunction:",
                "              Resource: !GetAtt TelemetryTable.Arn"));

        assertEquals(List.of("RejectReplayFunction: the code reads TELEMETRY_TABLE but the template does not set it",
                "RejectReplayFunction: uses table TELEMETRY but no policy names TelemetryTable"), problems);
    }

    @Test
    void policyNamingAnUndefinedResource_isReported() {
        List<String> problems = problems(t -> t.replaceFirst("Resource: !GetAtt ApiKeysTable.Arn", "Resource: !GetAtt KeysTable.Arn"));

        assertEquals(List.of("AuthorizerFunction: uses table API_KEYS but no policy names ApiKeysTable",
                "a reference names KeysTable, which the template does not define"), problems);
    }

    @Test
    void publisherWithoutPutEventsPolicy_isReported() {
        assertOnlyProblem(t -> removeLineIn(removeLineIn(t, "QuotaFunction:", "        - EventBridgePutEventsPolicy:"),
                        "QuotaFunction:", "            EventBusName: !Ref MeteringEventBus"),
                "QuotaFunction: publishes events (EVENT_BUS_NAME) but no policy allows PutEvents");
    }

    @Test
    void kinesisSourceWithoutBatchItemFailures_isReported() {
        assertOnlyProblem(t -> removeLineIn(t, "UsageIngestFunction:", "            FunctionResponseTypes: [ReportBatchItemFailures]"),
                "UsageIngestFunction.UsageEvents: Kinesis source without FunctionResponseTypes [ReportBatchItemFailures]");
    }

    @Test
    void tableWithoutTtlOrWithAnotherIndex_isReported() {
        List<String> problems = problems(t -> t.replace("""
                      TableName: !Sub poolhub-sla-${Stage}""", """
                      TableName: !Sub poolhub-sla-${Stage}
                      # mutated""").replace("""
                        - IndexName: pending""", """
                        - IndexName: open"""));

        assertEquals(List.of("SlaTable: indexes [open(pendingPk,sk,ALL)] differ from the enum's [pending(pendingPk,sk,ALL)]"), problems);
    }

    @Test
    void sampleEventOfNoFunction_andLandedFunctionWithoutSample_areReported() {
        List<String> problems = problems(t -> t.replace("  ApiKeyAdminFunction:", "  KeyToolFunction:")
                .replace("!Ref ApiKeyAdminFunction", "!Ref KeyToolFunction").replace("${ApiKeyAdminFunction}", "${KeyToolFunction}"));

        assertEquals(List.of("events/api-key-admin-issue.json belongs to no function of the template"
                        + " (an API request must match a wired route; another event is named <function>-....json)",
                "KeyToolFunction: no sample event in events/ (expected key-tool-*.json)"), problems);
    }

    private static void assertOnlyProblem(UnaryOperator<String> mutation, String expected) {
        assertEquals(List.of(expected), problems(mutation));
    }

    private static List<String> problems(UnaryOperator<String> mutation) {
        String original;
        try {
            original = Files.readString(ROOT.resolve("template.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String mutated = mutation.apply(original);
        assertTrue(!mutated.equals(original), "the mutation changed nothing");
        return TemplateConformance.check(SamTemplate.parse(mutated), ROOT).problems();
    }

    /** Removes the first line equal to {@code line} after the resource header {@code resource}. */
    private static String removeLineIn(String template, String resource, String line) {
        int start = template.indexOf("\n  " + resource + "\n");
        int at = template.indexOf("\n" + line + "\n", start);
        assertTrue(start >= 0 && at > start, "no line '" + line + "' in " + resource);
        return template.substring(0, at) + template.substring(at + line.length() + 1);
    }
}

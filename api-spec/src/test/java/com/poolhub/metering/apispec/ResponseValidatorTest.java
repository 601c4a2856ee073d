package com.poolhub.metering.apispec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator accepts what the description allows and refuses each kind of drift from it. */
class ResponseValidatorTest {
    private static final ResponseValidator VALIDATOR = new ResponseValidator(OpenApiDocument.load());
    private static final String QUOTAS = """
            {"tenant":"acme","quotas":[{"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"40000",
             "softLimitPct":"80","hard":false,"used":"13655.125","remaining":"26344.875","status":"AVAILABLE",
             "periodStart":"2026-12-03T00:00:00Z","resetAt":"2026-12-04T00:00:00Z"}],"rate":null}""";
    private static final String ERROR = "{\"error\":{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"the DAY hard limit is reached\"}}";

    private static List<String> quotas(String body) {
        return VALIDATOR.problems("GET", "/quota/acme", 200, Map.of(), body);
    }

    @Test
    void aConformingBody_passes() {
        assertEquals(List.of(), quotas(QUOTAS));
        assertEquals(List.of(), quotas(QUOTAS.replace("\"rate\":null", "\"rate\":{\"perMinute\":60,\"burst\":10,\"tokensAvailable\":7}")));
    }

    @Test
    void aDecimalAsANumber_aMissingField_anExtraField_aBadEnum_orABadTime_fails() {
        assertProblem(quotas(QUOTAS.replace("\"limit\":\"40000\"", "\"limit\":40000")), "/quotas/0/limit");
        assertProblem(quotas(QUOTAS.replace("\"used\":\"13655.125\",", "")), "used");
        assertProblem(quotas(QUOTAS.replace("\"hard\":false,", "\"hard\":false,\"secret\":\"x\",")), "secret");
        assertProblem(quotas(QUOTAS.replace("AVAILABLE", "FINE")), "/quotas/0/status");
        assertProblem(quotas(QUOTAS.replace("2026-12-04T00:00:00Z", "2026-12-04 00:00")), "/quotas/0/resetAt");
        assertProblem(quotas(QUOTAS.replace("\"13655.125\"", "\"1.3e4\"")), "/quotas/0/used");
    }

    @Test
    void an500_anUndeclaredStatus_oraMissingRetryAfter_fails() {
        String internal = "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"the request could not be completed\"}}";
        assertProblem(VALIDATOR.problems("GET", "/quota/acme", 500, Map.of(), internal), "status 500 is not declared");
        assertProblem(VALIDATOR.problems("GET", "/quota/acme", 409, Map.of(), ERROR), "status 409 is not declared");
        assertProblem(VALIDATOR.problems("POST", "/quota/consume", 429, Map.of(), ERROR), "Retry-After is missing");
        assertEquals(List.of(), VALIDATOR.problems("POST", "/quota/consume", 429, Map.of("retry-after", "3"), ERROR));
    }

    @Test
    void errorsAreTheContractsBody_andGenericAnswersAreAllowedOnlyWhereTheyApply() {
        assertEquals(List.of(), VALIDATOR.problems("GET", "/quota/acme", 403, Map.of(),
                "{\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"this data belongs to another tenant\"}}"));
        assertProblem(VALIDATOR.problems("GET", "/quota/acme", 403, Map.of(), "{\"message\":\"Forbidden\"}"), "error");
        assertEquals(List.of(), VALIDATOR.problems("DELETE", "/quota/acme", 405, Map.of(),
                "{\"error\":{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"DELETE is not allowed on this path\"}}"));
        assertProblem(VALIDATOR.problems("DELETE", "/quota/acme", 200, Map.of(), "{}"), "no such operation");
        assertEquals(List.of(), VALIDATOR.problems("GET", "/nowhere", 404, Map.of(),
                "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route for GET /nowhere\"}}"));
        assertProblem(VALIDATOR.problems("GET", "/quota/acme", 200, Map.of(), "not json"), "not JSON");
    }

    @Test
    void aMutatedDescription_refusesWhatTheRealOneAccepts() throws IOException {
        String text;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String mutated = text.replace("remaining: {$ref: '#/components/schemas/Decimal'}\n              status:",
                "remaining: {type: integer}\n              status:");
        assertTrue(!mutated.equals(text), "the mutation applies");
        ResponseValidator strict = new ResponseValidator(OpenApiDocument.parse(mutated));
        assertProblem(strict.problems("GET", "/quota/acme", 200, Map.of(), QUOTAS), "/quotas/0/remaining");
    }

    private static void assertProblem(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(expected)),
                "expected a problem naming " + expected + ", got " + problems);
    }
}

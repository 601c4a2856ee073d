package com.poolhub.metering.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConsoleFunctionTest {
    private final ConsoleFunction function = new ConsoleFunction();

    private APIGatewayProxyResponseEvent get(String path, Map<String, Object> caller) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(caller);
        return function.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath(path).withRequestContext(context), null);
    }

    @Test
    void thePage_isServedWithTheStrictPolicy_andNamesOnlyItsOwnHashedFiles() {
        APIGatewayProxyResponseEvent page = get("/console/", null);

        assertEquals(200, page.getStatusCode());
        assertEquals("text/html; charset=utf-8", page.getHeaders().get("Content-Type"));
        assertEquals(ConsoleFunction.CONTENT_SECURITY_POLICY, page.getHeaders().get("Content-Security-Policy"));
        assertTrue(ConsoleFunction.CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
        assertFalse(ConsoleFunction.CONTENT_SECURITY_POLICY.contains("unsafe"));
        assertEquals("no-cache", page.getHeaders().get("Cache-Control"));
        assertEquals("nosniff", page.getHeaders().get("X-Content-Type-Options"));
        assertFalse(page.getBody().contains("<script>") || page.getBody().contains("style="), "nothing inline");
        assertFalse(page.getBody().contains("http://") || page.getBody().contains("https://"), "nothing from another origin");
        Matcher script = Pattern.compile("src=\"(app-\\w+\\.js)\"").matcher(page.getBody());
        assertTrue(script.find(), page.getBody());

        APIGatewayProxyResponseEvent file = get("/console/" + script.group(1), null);
        assertEquals(200, file.getStatusCode());
        assertEquals("text/javascript; charset=utf-8", file.getHeaders().get("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", file.getHeaders().get("Cache-Control"));
        assertFalse(file.getBody().contains("localStorage"), "the key is kept in sessionStorage only");
    }

    @Test
    void withoutTheSlash_theBrowserIsSentToThePage_soRelativeNamesResolve() {
        APIGatewayProxyResponseEvent moved = get("/console", null);

        assertEquals(301, moved.getStatusCode());
        assertEquals("console/", moved.getHeaders().get("Location"));
    }

    @Test
    void onlyListedFilesAreServed() {
        for (String path : new String[] {"/console/assets.txt.bak", "/console/..%2Fpom.xml", "/console/com", "/console/nothing.js"}) {
            APIGatewayProxyResponseEvent answer = get(path, null);
            assertEquals(404, answer.getStatusCode(), path);
            assertTrue(answer.getBody().startsWith("{\"error\":"), answer.getBody());
        }
        assertEquals(404, get("/console/a/b", null).getStatusCode(), "no deeper paths");
    }

    @Test
    void theSession_namesTheKeysRoleAndPrincipal_andNeedsTheAuthorizer() {
        APIGatewayProxyResponseEvent session = get("/session", Map.of("role", "TENANT", "principal", "acme"));
        assertEquals(200, session.getStatusCode());
        assertEquals("{\"role\":\"TENANT\",\"principal\":\"acme\"}", session.getBody());

        assertEquals(401, get("/session", null).getStatusCode());
        assertEquals(401, get("/session", Map.of("role", "ROOT", "principal", "acme")).getStatusCode());
    }

    @Test
    void theRoutesAreThePageItsFilesAndTheSession() {
        assertEquals(java.util.List.of("GET /console", "GET /console/{asset}", "GET /session"), function.routes());
    }
}

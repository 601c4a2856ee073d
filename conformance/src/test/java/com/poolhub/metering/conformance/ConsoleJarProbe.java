package com.poolhub.metering.conformance;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.console.ConsoleFunction;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Started alone on the console's shaded jar (see {@link ConsoleJarCheck}): serves the page, its script
 * and stylesheet, and a session, and prints one line per answer: status, content type and size.
 */
public final class ConsoleJarProbe {
    private ConsoleJarProbe() {
    }

    public static void main(String[] args) {
        ConsoleFunction function = new ConsoleFunction();
        APIGatewayProxyResponseEvent page = get(function, "/console/", "/console", null);
        print("/console/", page);
        Matcher files = Pattern.compile("(?:src|href)=\"([^\"]+\\.(?:js|css))\"").matcher(page.getBody());
        while (files.find()) {
            print(files.group(1), get(function, "/console/" + files.group(1), "/console/{asset}", null));
        }
        print("/session", get(function, "/session", "/session", Map.of("role", "TENANT", "principal", "acme")));
    }

    private static APIGatewayProxyResponseEvent get(ConsoleFunction function, String path, String resource, Map<String, Object> caller) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(caller);
        return function.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath(path).withResource(resource)
                .withRequestContext(context), null);
    }

    private static void print(String what, APIGatewayProxyResponseEvent answer) {
        System.out.println(what + " " + answer.getStatusCode() + " " + answer.getHeaders().get("Content-Type") + " "
                + (answer.getBody() == null ? 0 : answer.getBody().length()));
    }
}

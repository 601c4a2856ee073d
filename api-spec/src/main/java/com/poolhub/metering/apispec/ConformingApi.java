package com.poolhub.metering.apispec;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.List;
import java.util.Map;

/**
 * An API function as the tests call it, with every answer checked against {@code openapi.yaml}: a
 * response the description does not allow fails the test that produced it.
 */
public final class ConformingApi implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final ResponseValidator VALIDATOR = new ResponseValidator(OpenApiDocument.load());

    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;

    private ConformingApi(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function) {
        this.function = function;
    }

    /** The function, with its answers checked. */
    public static ConformingApi of(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function) {
        return new ConformingApi(function);
    }

    /** The validator of the packaged description, shared by a test run. */
    public static ResponseValidator validator() {
        return VALIDATOR;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        APIGatewayProxyResponseEvent response = function.handleRequest(request, context);
        assertConforms(request.getHttpMethod(), request.getPath(), response);
        return response;
    }

    /** Fails with every problem when the response is not one the description allows. */
    public static void assertConforms(String method, String path, APIGatewayProxyResponseEvent response) {
        assertConforms(method, path, response.getStatusCode(), response.getHeaders(), response.getBody());
    }

    /** The same for a response read from a stream handler's output. */
    public static void assertConforms(String method, String path, int status, Map<String, String> headers, String body) {
        if (method == null || path == null) {
            return; // not an API Gateway request: nothing the description speaks of
        }
        List<String> problems = VALIDATOR.problems(method, path, status, headers, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("the response does not conform to openapi.yaml:\n  " + String.join("\n  ", problems));
        }
    }
}

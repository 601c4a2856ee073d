package com.poolhub.metering.console;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.logging.LambdaLogContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console, served by the API itself: {@code GET /console/} and its files (no key needed: they
 * hold no data), and {@code GET /session}, which tells a signed-in console whose key it holds
 * ({@code {"role", "principal"}}, from the authorizer). Every response of the console's files carries
 * a strict Content-Security-Policy: scripts, styles and API calls from this origin only, nothing inline,
 * no frames.
 */
public final class ConsoleFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedFunction {
    /** Scripts, styles and calls from this origin only; nothing inline, no plugins, no framing. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final ConsoleAssets assets;
    private final ApiRouter router;

    public ConsoleFunction() {
        this(ConsoleAssets.fromClasspath());
    }

    public ConsoleFunction(ConsoleAssets assets) {
        this.assets = assets;
        this.router = new ApiRouter()
                .get("/console", this::index)
                .get("/console/{asset}", request -> file(request.path("asset")))
                .get("/session", ConsoleFunction::session);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return router.handle(event);
        }
    }

    @Override
    public List<String> routes() {
        return router.routes();
    }

    /** {@code /console/} serves the app; {@code /console} sends the browser there, so relative names resolve. */
    private ApiResponse index(ApiRequest request) {
        if (!request.event().getPath().endsWith("/")) {
            return secured(ApiResponse.text(301, "text/plain; charset=utf-8", "moved to console/"), false)
                    .withHeader("Location", "console/");
        }
        return serve(assets.index());
    }

    private ApiResponse file(String name) {
        return serve(assets.find(name).orElseThrow(() -> ApiException.notFound("no console file " + name)));
    }

    private static ApiResponse serve(ConsoleAssets.Asset asset) {
        return secured(ApiResponse.text(200, asset.contentType(), asset.text()), asset.hashed());
    }

    private static ApiResponse secured(ApiResponse response, boolean immutable) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Strict-Transport-Security", "max-age=31536000");
        headers.put("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
        return new ApiResponse(response.status(), response.body(), headers);
    }

    private static ApiResponse session(ApiRequest request) {
        Caller caller = request.caller();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("role", caller.role().name());
        body.put("principal", caller.id());
        return ApiResponse.ok(body);
    }
}

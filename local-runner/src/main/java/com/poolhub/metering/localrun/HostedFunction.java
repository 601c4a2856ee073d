package com.poolhub.metering.localrun;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One function of the template running in this JVM as Lambda would run it: the handler built once
 * with its no-argument constructor while the function's environment stands in for the process
 * environment, and invoked with JSON that the Lambda runtime's own event serializers turn into the
 * handler's input type (and its answer back into JSON).
 */
public final class HostedFunction {
    private final String logicalId;
    private final Object handler;
    private final Optional<Class<?>> inputType;

    private HostedFunction(String logicalId, Object handler) {
        this.logicalId = logicalId;
        this.handler = handler;
        this.inputType = HandlerTypes.inputType(handler.getClass());
    }

    /** Builds the handler class with these environment variables, as a cold start would. */
    public static HostedFunction start(String logicalId, String handlerClass, Map<String, String> environment) {
        Object handler = Env.hosting(environment, () -> {
            try {
                return Class.forName(handlerClass).getConstructor().newInstance();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(logicalId + " failed to start: " + e.getCause().getMessage(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(logicalId + ": cannot build " + handlerClass, e);
            }
        });
        return new HostedFunction(logicalId, handler);
    }

    /** Wraps a handler built elsewhere (tests). */
    public static HostedFunction of(String logicalId, Object handler) {
        return new HostedFunction(logicalId, handler);
    }

    public String logicalId() {
        return logicalId;
    }

    public Object handler() {
        return handler;
    }

    /** Invokes with a JSON payload and answers with the JSON the handler returned. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String invokeJson(String payload) {
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                stream.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
        Class<?> type = inputType.orElseThrow();
        Object input = fromJson(type, payload);
        Object output = ((RequestHandler) handler).handleRequest(input, null);
        return toJson(output);
    }

    /** Invokes with an event object (serialized to JSON first, as Lambda would receive it). */
    public <T> T invoke(Object event, Class<T> answerType) {
        return fromJson(answerType, invokeJson(toJson(event)));
    }

    @SuppressWarnings("unchecked")
    static <T> T fromJson(Class<T> type, String json) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, HostedFunction.class.getClassLoader());
            return serializer.fromJson(json);
        }
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static String toJson(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text && text.startsWith("{")) {
            return text;
        }
        Class<Object> type = (Class<Object>) value.getClass();
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LambdaEventSerializers.serializerFor(type, HostedFunction.class.getClassLoader()).toJson(value, out);
            return out.toString(StandardCharsets.UTF_8);
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer of " + value.getClass().getSimpleName() + " is not JSON", e);
        }
    }
}

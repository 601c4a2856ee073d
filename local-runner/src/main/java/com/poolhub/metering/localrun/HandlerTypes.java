package com.poolhub.metering.localrun;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Optional;

/** What a Lambda handler class takes: the input type argument of its {@link RequestHandler}. */
public final class HandlerTypes {
    private HandlerTypes() {
    }

    /**
     * The input type of a {@code RequestHandler<I, O>} (raw class of {@code I}), or empty for a
     * {@link RequestStreamHandler}, which takes any JSON.
     */
    public static Optional<Class<?>> inputType(Class<?> handler) {
        if (RequestStreamHandler.class.isAssignableFrom(handler)) {
            return Optional.empty();
        }
        Class<?> type = handler;
        while (type != null && type != Object.class) {
            for (Type implemented : type.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                    return Optional.of(raw(parameterized.getActualTypeArguments()[0]));
                }
            }
            type = type.getSuperclass();
        }
        throw new IllegalArgumentException(handler.getName() + " is neither a RequestHandler nor a RequestStreamHandler");
    }

    /** Whether the class is a Lambda handler at all. */
    public static boolean isHandler(Class<?> type) {
        return RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type);
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }
}

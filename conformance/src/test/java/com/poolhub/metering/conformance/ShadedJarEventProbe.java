package com.poolhub.metering.conformance;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Started in a fresh JVM with a function's shaded jar first on the class path (then this class and
 * the Lambda runtime's serialization library, which the runtime brings itself): builds the handler
 * with its no-argument constructor, reads one sample event into the handler's input type the way the
 * Java runtime does, handles it once and writes {@code ANSWER <json>} or {@code THREW <exception>} to
 * the answer file. Arguments: handler class, input type (empty for a stream handler), event file,
 * answer file.
 */
public final class ShadedJarEventProbe {
    private ShadedJarEventProbe() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        Path answerFile = Path.of(args[3]);
        String answer;
        try {
            Object handler = Class.forName(args[0]).getConstructor().newInstance();
            byte[] event = Files.readAllBytes(Path.of(args[2]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (handler instanceof RequestStreamHandler stream) {
                stream.handleRequest(new ByteArrayInputStream(event), out, null);
            } else {
                Class<?> input = Class.forName(args[1]);
                Object result = ((RequestHandler) handler).handleRequest(serializer(input).fromJson(new ByteArrayInputStream(event)), null);
                if (result == null) {
                    out.write("null".getBytes(StandardCharsets.UTF_8));
                } else {
                    serializer((Class<Object>) result.getClass()).toJson(result, out);
                }
            }
            answer = "ANSWER " + out.toString(StandardCharsets.UTF_8);
        } catch (Throwable e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            answer = "THREW " + e + "\n" + trace;
        }
        Files.writeString(answerFile, answer);
        System.exit(0);
    }

    /** The runtime's serializer for a type: its event serializers for the Lambda event classes, else its Jackson. */
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, ShadedJarEventProbe.class.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }
}

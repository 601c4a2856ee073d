package com.poolhub.metering.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.event.Level;

/**
 * One log event as a single-line JSON object: {@code timestamp}, {@code level}, {@code logger},
 * {@code message}, the MDC entries (the handler puts {@code AWSRequestId} and {@code functionName}
 * there), and for an exception {@code errorType}, {@code errorMessage} and {@code stackTrace}.
 */
record JsonLogLine(Instant timestamp, Level level, String logger, String message, Map<String, String> context,
        Throwable error) {
    private static final JsonFactory JSON = new JsonFactory();

    String render() {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", timestamp.toString());
            json.writeStringField("level", level.name());
            json.writeStringField("logger", logger);
            json.writeStringField("message", message);
            if (context != null) {
                for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
            }
            if (error != null) {
                json.writeStringField("errorType", error.getClass().getName());
                json.writeStringField("errorMessage", error.getMessage());
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                json.writeStringField("stackTrace", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}

package com.poolhub.metering.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** One {@link JsonLogger} per name, all at the same threshold and writing to the same sink. */
final class JsonLoggerFactory implements ILoggerFactory {
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final Level threshold;
    private final JsonLogSink sink;

    JsonLoggerFactory(Level threshold, JsonLogSink sink) {
        this.threshold = threshold;
        this.sink = sink;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, threshold, sink));
    }
}

package com.poolhub.metering.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the JSON lines the functions' loggers write, while open, for checks on what is logged
 * (that no secret ever is). Lines still go to standard output as well.
 */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        JsonLogSink.STDOUT.tap(lines::add);
    }

    /** Starts collecting. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** The lines written since {@link #start()}. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        JsonLogSink.STDOUT.tap(null);
    }
}

package com.poolhub.metering.logging;

import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that formats the message SLF4J-style and hands one {@link JsonLogLine} to its sink. */
final class JsonLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient Level threshold;
    private final transient JsonLogSink sink;

    JsonLogger(String name, Level threshold, JsonLogSink sink) {
        this.name = name;
        this.threshold = threshold;
        this.sink = sink;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        var formatted = MessageFormatter.arrayFormat(pattern, arguments, throwable);
        Throwable cause = throwable != null ? throwable : formatted.getThrowable();
        sink.write(new JsonLogLine(java.time.Instant.now(), level, name, formatted.getMessage(),
                MDC.getCopyOfContextMap(), cause).render());
    }
}

package com.poolhub.metering.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The functions' SLF4J 2 provider, found through {@code META-INF/services}: every logger writes one
 * JSON object per line to standard output (see {@link JsonLogLine}), at the level the environment
 * gives ({@link LogLevelSetting}). Small on purpose: Jackson, already in every function, does the JSON.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
    private ILoggerFactory loggers;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        mdc = new BasicMDCAdapter();
        markers = new BasicMarkerFactory();
        loggers = new JsonLoggerFactory(LogLevelSetting.fromEnvironment(System.getenv()), JsonLogSink.STDOUT);
    }
}

package com.poolhub.metering.logging;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Where rendered log lines go: standard output in a function, a list in a test. */
final class JsonLogSink {
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    static final JsonLogSink STDOUT = new JsonLogSink(OUT::println);

    private volatile Consumer<String> tap;
    private final Consumer<String> target;

    JsonLogSink(Consumer<String> target) {
        this.target = target;
    }

    void write(String line) {
        Consumer<String> copy = tap;
        if (copy != null) {
            copy.accept(line);
        }
        target.accept(line);
    }

    /** Also hands every line to {@code tap} (null to stop); what {@link LogCapture} uses. */
    void tap(Consumer<String> tap) {
        this.tap = tap;
    }
}

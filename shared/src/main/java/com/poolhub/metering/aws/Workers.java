package com.poolhub.metering.aws;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** Thread pools of the functions and tools: daemon threads, so a pool never keeps a JVM alive. */
public final class Workers {
    private Workers() {
    }

    /** A factory of daemon threads with the given name. */
    public static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A fixed pool of daemon threads. */
    public static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, daemon(name));
    }
}

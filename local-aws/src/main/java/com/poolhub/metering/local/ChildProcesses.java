package com.poolhub.metering.local;

import java.util.concurrent.TimeUnit;

/** Stopping an emulator the tests started as a child process: politely, then by force. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /** Asks the process to end, waits up to five seconds, then kills it. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

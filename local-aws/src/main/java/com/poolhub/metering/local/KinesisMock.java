package com.poolhub.metering.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kinesis-mock (npm package {@code kinesis-local}) run with Node.js as a child process on a loopback
 * port. The package is installed with npm into {@code target/kinesis-mock} when it is not there yet
 * (or into the folder named by the system property {@code kinesis.mock.home}).
 */
public final class KinesisMock implements AutoCloseable {
    /** The pinned package version. */
    public static final String PACKAGE = "kinesis-local@0.6.2";
    private static KinesisMock shared;

    private final Process process;
    private final URI endpoint;

    private KinesisMock(Path home, int port, List<String> streams) {
        Path mainJs = install(home);
        // kinesis-mock reads its TLS material (server.json) from the working directory
        ProcessBuilder builder = new ProcessBuilder("node", mainJs.toString())
                .directory(mainJs.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("kinesis-mock.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(FreePorts.next()));
        env.put("INITIALIZE_STREAMS", String.join(",", streams));
        env.put("CREATE_STREAM_DURATION", "0ms");
        env.put("DELETE_STREAM_DURATION", "0ms");
        env.put("UPDATE_SHARD_COUNT_DURATION", "0ms");
        env.put("LOG_LEVEL", "WARN");
        env.put("SHARD_LIMIT", "200");
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start node (is Node.js installed?)", e);
        }
        try {
            awaitStarted(port);
        } catch (IllegalStateException e) {
            process.destroyForcibly();
            throw new IllegalStateException("kinesis-mock did not start; see " + home.resolve("kinesis-mock.log"), e);
        }
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    private void awaitStarted(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kinesis-mock exited with code " + process.exitValue());
            }
            try {
                FreePorts.awaitListening(port, Duration.ofSeconds(1));
                return;
            } catch (IllegalStateException notYet) {
                // keep waiting while the process lives
            }
        }
        throw new IllegalStateException("kinesis-mock is not listening on " + port + " after 60 s");
    }

    /**
     * Starts kinesis-mock with the given streams, each written {@code name:shards}.
     */
    public static KinesisMock start(String... streams) {
        return new KinesisMock(defaultHome(), FreePorts.next(), List.of(streams));
    }

    /** One instance per JVM with the given streams, stopped when the JVM exits. */
    public static synchronized KinesisMock shared(String... streams) {
        if (shared == null) {
            shared = start(streams);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kinesis-mock-stop"));
        }
        return shared;
    }

    /** Whether Node.js is on the PATH, so that kinesis-mock can run here. */
    public static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    private static Path defaultHome() {
        String configured = System.getProperty("kinesis.mock.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.dir"), "target", "kinesis-mock");
    }

    private static synchronized Path install(Path home) {
        Path mainJs = home.resolve("node_modules").resolve("kinesis-local").resolve("main.js");
        if (Files.isRegularFile(mainJs)) {
            return mainJs;
        }
        try {
            Files.createDirectories(home);
            List<String> command = new ArrayList<>(List.of("npm", "install", "--no-save", "--no-audit",
                    "--no-fund", "--prefix", home.toString(), PACKAGE));
            Process npm = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(new File(home.toFile(), "npm-install.log"))
                    .start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm install " + PACKAGE + " failed; see "
                        + home.resolve("npm-install.log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run npm to install " + PACKAGE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + PACKAGE, e);
        }
        if (!Files.isRegularFile(mainJs)) {
            throw new IllegalStateException("npm installed " + PACKAGE + " but " + mainJs + " is missing");
        }
        return mainJs;
    }
}

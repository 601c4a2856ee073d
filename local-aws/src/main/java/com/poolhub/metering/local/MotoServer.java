package com.poolhub.metering.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * moto (Python package {@code moto[server]}, Apache-2.0) run in server mode as a child process on a
 * loopback port: the emulator of the tests and the local runner for DynamoDB, EventBridge, SQS,
 * Secrets Manager and Timestream Write, every service on the one port. It evaluates DynamoDB
 * condition, update and key expressions and transactions, matches EventBridge event patterns and
 * delivers to SQS targets inside the PutEvents call, and keeps everything in memory for the life of
 * the process. It runs through {@code moto_serve.py}, which hands
 * moto one request at a time: moto checks a condition and then writes without a lock, and DynamoDB
 * applies every write to an item and every transaction atomically. When the interpreter (system property
 * {@code moto.python}, else {@code python3}) cannot import moto, the pinned version is installed
 * with {@code pip install --user}. The server's output goes to {@code target/moto/moto-server.log}
 * (or the folder named by the system property {@code moto.home}).
 */
public final class MotoServer implements AutoCloseable {
    /** The pinned package the server is installed from when the interpreter lacks moto. */
    public static final String PACKAGE = "moto[server]==5.2.1";
    private static final String LAUNCHER = "moto_serve.py";
    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;

    private MotoServer(Path home, int port) {
        String python = python();
        install(python, home);
        Path log = home.resolve("moto-server.log");
        ProcessBuilder builder = new ProcessBuilder(python, launcher(home).toString(), "127.0.0.1", Integer.toString(port))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("PYTHONUNBUFFERED", "1");
        builder.environment().put("MOTO_PORT", Integer.toString(port));
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + python + " (is Python 3 installed?)", e);
        }
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            awaitAnswering(port);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("moto did not start; see " + log, e);
        }
    }

    /** Waits until the port listens and the server answers a DynamoDB request (which loads its backend). */
    private void awaitAnswering(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with code " + process.exitValue());
            }
            try {
                FreePorts.awaitListening(port, Duration.ofSeconds(1));
                break;
            } catch (IllegalStateException notYet) {
                // keep waiting while the process lives
            }
        }
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(endpoint)) {
            dynamo.listTables();
        }
    }

    /** Starts a new server with no tables on a free port. */
    public static MotoServer start() {
        return new MotoServer(defaultHome(), FreePorts.next());
    }

    /** Starts a new server with no tables on the given port. */
    public static MotoServer start(int port) {
        return new MotoServer(defaultHome(), port);
    }

    /** One server per JVM, started on first use and stopped when the JVM exits. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "moto-stop"));
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    private static String python() {
        String configured = System.getProperty("moto.python", System.getenv("MOTO_PYTHON"));
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    private static Path defaultHome() {
        String configured = System.getProperty("moto.home");
        Path home = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.dir"), "target", "moto");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + home, e);
        }
        return home;
    }

    /** Copies the launcher script next to the log, where the interpreter can read it. */
    private static Path launcher(Path home) {
        Path script = home.resolve(LAUNCHER);
        try (InputStream in = MotoServer.class.getResourceAsStream(LAUNCHER)) {
            if (in == null) {
                throw new IllegalStateException(LAUNCHER + " is missing from the class path");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + script, e);
        }
        return script;
    }

    private static synchronized void install(String python, Path home) {
        if (run(home, "moto-check.log", Duration.ofSeconds(60), python, "-c", "import moto.server, flask")) {
            return;
        }
        Path log = home.resolve("pip-install.log");
        if (!run(home, "pip-install.log", Duration.ofMinutes(10),
                python, "-m", "pip", "install", "--user", "--quiet", "--disable-pip-version-check", PACKAGE)) {
            throw new IllegalStateException(python + " -m pip install --user '" + PACKAGE + "' failed; see " + log);
        }
        if (!run(home, "moto-check.log", Duration.ofSeconds(60), python, "-c", "import moto.server, flask")) {
            throw new IllegalStateException("pip installed " + PACKAGE + " but " + python + " cannot import it; see "
                    + home.resolve("moto-check.log"));
        }
    }

    /** Runs a command to completion with its output in a log file; whether it exited with 0. */
    private static boolean run(Path home, String logName, Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(command)))
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(new File(home.toFile(), logName))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command[0] + " (is Python 3 installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}

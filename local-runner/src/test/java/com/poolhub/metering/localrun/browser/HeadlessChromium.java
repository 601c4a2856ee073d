package com.poolhub.metering.localrun.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket from the JDK's own HTTP
 * client; no driver binary, nothing downloaded): navigate, evaluate script, type and press keys as a
 * user would, take screenshots, and collect what the page logged, threw or had refused by its
 * Content-Security-Policy.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Whether the browser is installed here. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts the browser with a fresh profile and attaches to its first page. */
    public static HeadlessChromium start(int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("console-browser");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "about:blank").redirectErrorStream(true).start();
        String browserUrl = awaitListening(process);
        URI base = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        for (long deadline = System.nanoTime() + TIMEOUT.toNanos(); pageSocket == null && System.nanoTime() < deadline; ) {
            HttpResponse<String> targets = http.send(HttpRequest.newBuilder(URI.create("http://" + base.getAuthority() + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : Json.parse(targets.body())) {
                if ("page".equals(target.path("type").asText())) {
                    pageSocket = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (pageSocket == null) {
                Thread.sleep(100);
            }
        }
        if (pageSocket == null) {
            process.destroyForcibly();
            throw new IOException("chromium opened no page");
        }
        Listener listener = new Listener();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), listener).join();
        HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
        listener.browser = browser;
        browser.send("Page.enable", Json.object());
        browser.send("Runtime.enable", Json.object());
        browser.send("Log.enable", Json.object());
        return browser;
    }

    private static String awaitListening(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (IOException ignored) {
                        // the browser has gone
                    }
                }, "chromium-output");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
            seen.append(line).append('\n');
        }
        throw new IOException("chromium exited before it listened:\n" + seen);
    }

    /** One DevTools command; its result. */
    public JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = Json.object().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Evaluates a script expression in the page (promises awaited); its value as JSON. */
    public JsonNode eval(String expression) {
        JsonNode result = send("Runtime.evaluate", Json.object().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + result.get("exceptionDetails").path("exception").path("description")
                    .asText(result.get("exceptionDetails").toString()) + "\n in: " + expression);
        }
        return result.path("result").path("value");
    }

    /** Waits until a script expression is true. */
    public void await(String condition, String what) throws InterruptedException {
        for (long deadline = System.nanoTime() + TIMEOUT.toNanos(); System.nanoTime() < deadline; Thread.sleep(50)) {
            if (eval("!!(" + condition + ")").asBoolean()) {
                return;
            }
        }
        throw new AssertionError("timed out waiting for " + what + " (" + condition + ")");
    }

    public void navigate(String url) {
        send("Page.navigate", Json.object().put("url", url));
    }

    /** Presses a key (Tab, Enter, Space, ArrowDown…), as the keyboard sends it. */
    public void press(String key, boolean shift) {
        int code = switch (key) {
            case "Tab" -> 9;
            case "Enter" -> 13;
            case " " -> 32;
            case "ArrowDown" -> 40;
            default -> throw new IllegalArgumentException("no key code for " + key);
        };
        ObjectNode down = Json.object().put("type", "keyDown").put("key", key).put("code", key.equals(" ") ? "Space" : key)
                .put("windowsVirtualKeyCode", code).put("modifiers", shift ? 8 : 0);
        if (key.equals("Enter")) {
            down.put("text", "\r");
        } else if (key.equals(" ")) {
            down.put("text", " ");
        }
        send("Input.dispatchKeyEvent", down);
        send("Input.dispatchKeyEvent", Json.object().put("type", "keyUp").put("key", key).put("code", key.equals(" ") ? "Space" : key)
                .put("windowsVirtualKeyCode", code).put("modifiers", shift ? 8 : 0));
    }

    /** Types text into the focused control. */
    public void type(String text) {
        send("Input.insertText", Json.object().put("text", text));
    }

    /** Lets downloads land in a folder. */
    public void downloadTo(Path folder) {
        send("Page.setDownloadBehavior", Json.object().put("behavior", "allow").put("downloadPath", folder.toAbsolutePath().toString()));
    }

    /** A PNG of the whole page. */
    public void screenshot(Path file) throws IOException {
        JsonNode metrics = send("Page.getLayoutMetrics", Json.object());
        JsonNode size = metrics.path("cssContentSize");
        ObjectNode clip = Json.object().put("x", 0).put("y", 0).put("width", Math.max(1, size.path("width").asDouble()))
                .put("height", Math.min(6000, Math.max(1, size.path("height").asDouble()))).put("scale", 1);
        ObjectNode params = Json.object().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        String data = send("Page.captureScreenshot", params).path("data").asText();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    /** What the page threw, logged as an error, or had refused (Content-Security-Policy) so far. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = Json.parse(text);
        } catch (IOException e) {
            problems.add("unreadable DevTools message: " + text);
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> waiting = pending.get(message.get("id").asInt());
            if (waiting != null) {
                waiting.complete(message);
            }
            return;
        }
        String method = message.path("method").asText();
        JsonNode params = message.path("params");
        switch (method) {
            case "Runtime.exceptionThrown" -> problems.add("exception: " + params.path("exceptionDetails").path("exception")
                    .path("description").asText(params.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.path("type").asText())) {
                    problems.add("console.error: " + params.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                // the API's own refusals (401/403/404 shown by the console) are expected; anything else is not
                boolean refusedCall = "network".equals(entry.path("source").asText());
                if ("error".equals(entry.path("level").asText()) && !refusedCall) {
                    problems.add(entry.path("source").asText() + ": " + entry.path("text").asText());
                }
            }
            default -> {
                // other events are not needed
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is ended below either way
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }

    /** Joins a message's frames and hands it on. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile HeadlessChromium browser;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (browser != null) {
                    browser.onMessage(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}

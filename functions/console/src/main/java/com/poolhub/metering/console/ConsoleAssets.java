package com.poolhub.metering.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's built files, read once from the classpath ({@code console/}, written by the module's
 * bundler with an {@code assets.txt} that lists them). Only the listed names are served, so a request
 * can never reach another resource of the jar.
 */
public final class ConsoleAssets {
    static final String ROOT = "console/";
    static final String INDEX = "index.html";

    /** One file: its text, content type and whether its name carries a content hash. */
    public record Asset(String name, String contentType, String text, boolean hashed) {
    }

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** The files listed in {@code console/assets.txt}. */
    public static ConsoleAssets fromClasspath() {
        String listing = read(ROOT + "assets.txt");
        Map<String, Asset> found = new LinkedHashMap<>();
        for (String line : listing.split("\n")) {
            String name = line.strip().split(" ")[0];
            if (!name.isEmpty()) {
                found.put(name, new Asset(name, contentType(name), read(ROOT + name), !name.equals(INDEX)));
            }
        }
        if (!found.containsKey(INDEX)) {
            throw new IllegalStateException("the console build lists no " + INDEX);
        }
        return new ConsoleAssets(found);
    }

    public Optional<Asset> find(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    public Asset index() {
        return assets.get(INDEX);
    }

    public Map<String, Asset> all() {
        return assets;
    }

    static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/plain; charset=utf-8";
    }

    private static String read(String resource) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath: build the console module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

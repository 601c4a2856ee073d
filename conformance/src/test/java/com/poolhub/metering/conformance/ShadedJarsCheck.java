package com.poolhub.metering.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs in {@code verify}, after every function is packaged: each function's shaded jar, the file that
 * is deployed, holds an SLF4J provider and, started alone in a fresh JVM, writes its log lines as JSON
 * to standard output.
 */
class ShadedJarsCheck {
    private static final String PROVIDER = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

    static List<Path> functionModules() throws IOException {
        try (Stream<Path> modules = Files.list(TemplateConformanceTest.ROOT.resolve("functions"))) {
            return modules.filter(p -> Files.isRegularFile(p.resolve("pom.xml"))).sorted().toList();
        }
    }

    /** The module's shaded jar: the packaged jar that is neither the pre-shade original nor the tests. */
    static Path shadedJar(Path module) throws IOException {
        Path target = module.resolve("target");
        if (!Files.isDirectory(target)) {
            return fail(module.getFileName() + " is not packaged (this check runs in verify)");
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("original-"))
                    .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst().orElseGet(() -> fail(module.getFileName() + " has no shaded jar"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionModules")
    void shadedJar_holdsAnSlf4jProviderThatIsInTheJar(Path module) throws IOException {
        try (JarFile jar = new JarFile(shadedJar(module).toFile())) {
            ZipEntry services = jar.getEntry(PROVIDER);
            assertNotNull(services, module.getFileName() + ": no " + PROVIDER + " - its LOG.error lines would be dropped");
            String provider = new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).trim();
            assertNotNull(jar.getEntry(provider.replace('.', '/') + ".class"), provider + " is named but not in the jar");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionModules")
    void shadedJar_writesJsonLogLinesToStandardOutput(Path module) throws Exception {
        Path probe = Path.of(ShadedJarLogProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", shadedJar(module) + File.pathSeparator + probe,
                ShadedJarLogProbe.class.getName()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), err);
        assertTrue(err.isBlank(), "nothing on standard error (no SLF4J warnings): " + err);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(new ObjectMapper().readTree(line));
            }
        }
        assertEquals(1, lines.size(), out);
        JsonNode line = lines.get(0);
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("probe line", line.path("message").asText());
        assertEquals("probe-request", line.path("AWSRequestId").asText());
        assertTrue(line.path("stackTrace").asText().contains("probe failure"), out);
    }
}

package com.poolhub.metering.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The console's deployed jar, started alone in a fresh JVM, serves its page, script, stylesheet and a
 * session: the SDK it leaves out is not needed, and the bundle is inside. Runs in verify, after packaging.
 */
class ConsoleJarCheck {
    @Test
    void theConsolesShadedJar_servesItsFilesAndASession_alone() throws Exception {
        Path jar = ShadedJarsCheck.shadedJar(TemplateConformanceTest.ROOT.resolve("functions/console"));
        try (JarFile file = new JarFile(jar.toFile())) {
            assertNull(file.getEntry("software/amazon/awssdk/services/dynamodb/DynamoDbClient.class"), "no SDK in the console's jar");
            assertTrue(file.getEntry("console/index.html") != null, "the bundle is in the jar");
        }
        Path probe = Path.of(ConsoleJarProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", jar + File.pathSeparator + probe, ConsoleJarProbe.class.getName()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), err);
        List<String> lines = out.lines().toList();
        assertEquals(4, lines.size(), out + err);
        assertTrue(lines.get(0).startsWith("/console/ 200 text/html"), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("app-\\w+\\.js 200 text/javascript.*")), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("style-\\w+\\.css 200 text/css.*")), out);
        assertTrue(lines.get(3).startsWith("/session 200 application/json"), out);
        assertTrue(Files.size(jar) < 8_000_000, "the console's jar: " + Files.size(jar) + " bytes");
    }
}

package com.poolhub.metering.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.localrun.SamTemplate;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real template conforms to the code, the contract and the sample events. */
class TemplateConformanceTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void template_conformsForEveryFunctionThatHasLanded() {
        TemplateConformance conformance = TemplateConformance.check(SamTemplate.load(ROOT.resolve("template.yaml")), ROOT);

        conformance.pending().forEach(p -> System.out.println("pending: " + p));
        assertEquals(List.of(), conformance.problems());
    }
}

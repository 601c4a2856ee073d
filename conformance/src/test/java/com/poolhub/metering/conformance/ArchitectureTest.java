package com.poolhub.metering.conformance;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.conformance.architecture.DomainClassUsingTheSdk;
import com.poolhub.metering.conformance.architecture.FunctionUsingAnotherFunction;
import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers the code keeps: the domain and services of {@code shared} (every package but
 * {@code aws}, {@code api} and {@code logging}) use neither the AWS SDK nor the Lambda runtime; nothing
 * outside {@code aws} uses an adapter; {@code api} and {@code logging} speak Lambda's event types but
 * never the SDK; and no function module uses another's classes. Read from the compiled classes of each
 * module ({@code target/classes}), so a rule sees exactly what a module ships.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("..");

    static {
        // a rule needs the names of the classes a module uses, not their bytecode: far faster to read
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    }
    private static final String[] EDGE_PACKAGES = {"com.poolhub.metering.aws..", "com.poolhub.metering.api..",
            "com.poolhub.metering.logging.."};

    /** The domain uses no AWS code: neither the SDK nor the Lambda runtime and events. */
    static final ArchRule DOMAIN_HAS_NO_AWS = noClasses().that().resideOutsideOfPackages(EDGE_PACKAGES)
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
            .because("the domain is tested without AWS and moves to a module without the SDK");

    /** Only adapters use adapters. */
    static final ArchRule DOMAIN_USES_NO_ADAPTER = noClasses().that().resideOutsideOfPackage("com.poolhub.metering.aws..")
            .should().dependOnClassesThat().resideInAPackage("com.poolhub.metering.aws..")
            .because("the domain reaches storage and the bus through its ports");

    /** The API and logging edges speak Lambda's types but not the SDK's. */
    static final ArchRule EDGES_USE_NO_SDK = noClasses().that().resideInAnyPackage("com.poolhub.metering.api..",
                    "com.poolhub.metering.logging..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon..")
            .because("routing and logging do not call AWS");

    private static JavaClasses shared() {
        return new ClassFileImporter().importPath(ROOT.resolve("shared/target/classes"));
    }

    @Test
    void shared_keepsItsLayers() {
        JavaClasses shared = shared();
        assertTrue(shared.size() > 200, "the shared module's classes were read: " + shared.size());
        for (ArchRule rule : List.of(DOMAIN_HAS_NO_AWS, DOMAIN_USES_NO_ADAPTER, EDGES_USE_NO_SDK)) {
            EvaluationResult result = rule.evaluate(shared);
            assertEquals(List.of(), result.getFailureReport().getDetails(), rule.getDescription());
        }
    }

    @Test
    void aDomainClassThatUsesTheSdk_orAnAdapter_fails() {
        JavaClasses violating = new ClassFileImporter().importClasses(DomainClassUsingTheSdk.class);

        EvaluationResult sdk = DOMAIN_HAS_NO_AWS.evaluate(violating);
        EvaluationResult adapter = DOMAIN_USES_NO_ADAPTER.evaluate(violating);

        assertTrue(sdk.hasViolation());
        assertTrue(sdk.getFailureReport().getDetails().stream().anyMatch(line -> line.contains("software.amazon.awssdk")),
                sdk.getFailureReport().toString());
        assertTrue(adapter.hasViolation());
        assertTrue(adapter.getFailureReport().getDetails().stream().anyMatch(line -> line.contains("DynamoRejectStore")),
                adapter.getFailureReport().toString());
    }

    @Test
    void noFunctionModule_usesAnotherFunctionModulesClasses() throws IOException {
        Map<String, JavaClasses> modules = functionModules();
        assertTrue(modules.size() >= 10, "function modules read: " + modules.keySet());
        Map<String, String> owner = new HashMap<>();
        modules.forEach((module, classes) -> classes.forEach(c -> owner.put(c.getName(), module)));

        List<String> crossings = crossings(modules, owner);

        assertEquals(List.of(), crossings);
    }

    @Test
    void aFunctionClassUsingAnotherModulesClass_isACrossing() throws IOException {
        Map<String, JavaClasses> modules = new HashMap<>(functionModules());
        modules.put("functions/fixture", new ClassFileImporter().importClasses(FunctionUsingAnotherFunction.class));
        Map<String, String> owner = new HashMap<>();
        modules.forEach((module, classes) -> classes.forEach(c -> owner.put(c.getName(), module)));

        List<String> crossings = crossings(modules, owner);

        assertEquals(1, crossings.size(), crossings.toString());
        assertTrue(crossings.get(0).contains("functions/fixture") && crossings.get(0).contains("functions/quota"), crossings.get(0));
    }

    /** Each use of a class of one function module by a class of another, once per pair of classes. */
    private static List<String> crossings(Map<String, JavaClasses> modules, Map<String, String> owner) {
        List<String> crossings = new ArrayList<>();
        modules.forEach((module, classes) -> {
            for (JavaClass type : classes) {
                for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                    String target = owner.get(dependency.getTargetClass().getName());
                    if (target != null && !target.equals(module)) {
                        crossings.add(module + " uses " + target + ": " + type.getName() + " -> "
                                + dependency.getTargetClass().getName());
                    }
                }
            }
        });
        return crossings.stream().distinct().sorted().toList();
    }

    private static Map<String, JavaClasses> functionModules;

    /** Each function module's compiled classes, read once for the class. */
    private static synchronized Map<String, JavaClasses> functionModules() throws IOException {
        if (functionModules != null) {
            return functionModules;
        }
        Map<String, JavaClasses> modules = new HashMap<>();
        try (Stream<Path> dirs = Files.list(ROOT.resolve("functions"))) {
            for (Path dir : dirs.filter(d -> Files.isDirectory(d.resolve("target/classes"))).toList()) {
                modules.put("functions/" + dir.getFileName(), new ClassFileImporter().importPath(dir.resolve("target/classes")));
            }
        }
        functionModules = Map.copyOf(modules);
        return functionModules;
    }
}

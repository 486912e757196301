package org.fpnas.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the whole tree: no package imports another that imports it back, and each
 * module depends only on what its place in the layering allows. The app module runs them because
 * its test classpath holds every other module; a second set of tests runs the same rules on
 * fixtures that break them, so that a rule which could never fail is caught.
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importTree() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // In `mvn verify` the other modules come as their packaged jars; their test jars
            // (fixtures) are not production code.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.fpnas");
  }

  @Test
  void theTreeHasEveryModule() {
    for (String pkg :
        List.of(
            "org.fpnas.core",
            "org.fpnas.schemas",
            "org.fpnas.cluster",
            "org.fpnas.client",
            "org.fpnas.controller",
            "org.fpnas.evaluator",
            "org.fpnas.dashboard",
            "org.fpnas.app")) {
      assertTrue(
          production.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
          "no class of " + pkg + " was imported: the rules below would pass vacuously");
    }
  }

  @Test
  void noPackageCycles() {
    Rules.noPackageCycles("org.fpnas").check(production);
  }

  @Test
  void moduleLayering() {
    Rules.LAYERING.forEach(rule -> rule.check(production));
  }

  @Test
  void theCycleRuleBites() {
    JavaClasses ring =
        new ClassFileImporter().importPackages("org.fpnas.app.architecture.fixture.ring");
    EvaluationResult result =
        Rules.noPackageCycles("org.fpnas.app.architecture.fixture").evaluate(ring);
    assertTrue(result.hasViolation(), "a cycle between two fixture packages must be reported");
  }

  @Test
  void theLayeringRulesBite() {
    JavaClasses layers =
        new ClassFileImporter().importPackages("org.fpnas.app.architecture.fixture.layers");
    ArchRule readSideOnly =
        noClasses()
            .that()
            .resideInAPackage("..fixture.layers.client..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..fixture.layers.controller..");
    assertTrue(readSideOnly.evaluate(layers).hasViolation(), "the fixture's client reaches in");
    ArchRule notFromCore =
        classes()
            .that()
            .resideInAPackage("..fixture.layers.controller..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "..fixture.layers..");
    assertFalse(notFromCore.evaluate(layers).hasViolation(), "and a rule that holds, holds");
  }
}

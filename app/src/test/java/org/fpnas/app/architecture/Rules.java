package org.fpnas.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/** The tree's package rules (see docs/design.md, "Modules and packages"). */
final class Rules {
  private Rules() {}

  /** Every package of the root is a slice; no two may import each other, directly or around. */
  static ArchRule noPackageCycles(String root) {
    return slices().matching(root + ".(**)").should().beFreeOfCycles();
  }

  /**
   * Which module may use which: the read side and the evaluators never reach into the Streams
   * server.
   */
  static final List<ArchRule> LAYERING =
      List.of(
          classes()
              .that()
              .resideInAPackage("org.fpnas.core..")
              .should()
              .onlyDependOnClassesThat()
              .resideInAnyPackage(
                  "org.fpnas.core..",
                  "java..",
                  "com.fasterxml.jackson..",
                  "org.apache.commons.math3..")
              .because("core is pure: no Kafka, Avro, DJL or other fpnas module"),
          noClasses()
              .that()
              .resideInAnyPackage(
                  "org.fpnas.schemas..",
                  "org.fpnas.client..",
                  "org.fpnas.dashboard..",
                  "org.fpnas.evaluator..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("org.fpnas.controller..")
              .because(
                  "only the app starts the controller; everything else talks to it through Kafka"),
          noClasses()
              .that()
              .resideInAnyPackage(
                  "org.fpnas.client..", "org.fpnas.dashboard..", "org.fpnas.evaluator..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("org.apache.kafka.streams..")
              .because("the read side and the evaluators are plain Kafka clients"),
          noClasses()
              .that()
              .resideInAPackage("org.fpnas.schemas..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("org.fpnas.cluster..")
              .because("schemas is the wire contract alone; the Kafka plumbing builds on it"),
          classes()
              .that()
              .resideInAPackage("org.fpnas.evaluator.api..")
              .should()
              .onlyDependOnClassesThat()
              .resideInAnyPackage("org.fpnas.evaluator.api..", "org.fpnas.core..", "java..")
              .because("a team's own evaluator depends on the SPI and the core alone"));
}

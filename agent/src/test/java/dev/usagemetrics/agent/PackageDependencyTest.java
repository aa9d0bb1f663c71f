package dev.usagemetrics.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent's packages depend on each other in one direction only, and none on the root. */
class PackageDependencyTest {

  private static final String ROOT = "dev.usagemetrics.agent";

  /** The agent's main classes, from where they were compiled to (not the whole class path: that takes seconds). */
  private static final JavaClasses AGENT = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importUrl(UsageMetricsAgent.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void thePackagesAreFreeOfCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(AGENT);
  }

  @Test
  void nothingOutsideTheRootPackageDependsOnIt() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT)
        .because(
            "the root holds the entry points and the startup sequence; what other packages share lives in a"
                + " leaf (identity/)")
        .check(AGENT);
  }
}

package dev.athanor.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Packages depend one way (DESIGN.md): errors and results at the bottom, the language above them,
 * the engine above the language, the faces on top. A cycle, or the language reaching into the
 * engine or a driver, fails here with the offending classes named.
 */
class PackageDirectionTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.athanor");

  @Test
  void noCycleBetweenPackages() {
    slices()
        .matching("dev.athanor.(*)..")
        .should()
        .beFreeOfCycles()
        .because("packages depend one way; see DESIGN.md")
        .check(MAIN);
  }

  @Test
  void theLanguageKnowsNoConnectionAndNoDriver() {
    noClasses()
        .that()
        .resideInAPackage("dev.athanor.sql..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.athanor.engine..",
            "dev.athanor.session..",
            "dev.athanor.java..",
            "dev.athanor.coroutines..",
            "io.r2dbc..")
        .check(MAIN);
  }

  @Test
  void resultsAndErrorsKnowNothingAbove() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.athanor.result..", "dev.athanor.error..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.athanor.sql..",
            "dev.athanor.engine..",
            "dev.athanor.session..",
            "dev.athanor.java..",
            "dev.athanor.coroutines..",
            "io.r2dbc..")
        .check(MAIN);
  }

  @Test
  void theEngineKnowsNoFace() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.athanor.engine..", "dev.athanor.sql..", "dev.athanor.session..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.athanor.java..", "dev.athanor.coroutines..")
        .check(MAIN);
  }
}

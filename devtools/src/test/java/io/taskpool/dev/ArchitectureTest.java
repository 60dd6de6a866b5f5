package io.taskpool.dev;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules the code keeps, checked on every module's main classes (this module sees them
 * all).
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.taskpool");

  @Test
  void theCoresPurePackagesImportNeitherKafkaNorRedisClients() {
    noClasses()
        .that()
        .resideInAnyPackage("io.taskpool.core", "io.taskpool.core.json", "io.taskpool.core.sync")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "org.redisson..", "redis.clients..")
        .check(CLASSES);
  }

  @Test
  void theTaskSourceSpiSpeaksItsOwnTypesNotKafkas() {
    noClasses()
        .that()
        .resideInAPackage("io.taskpool.worker.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .check(CLASSES);
  }

  @Test
  void theCoordinatorDoesNotReachIntoTheWorkersInternals() {
    noClasses()
        .that()
        .resideInAPackage("io.taskpool.coordinator..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.taskpool.worker.internal..")
        .check(CLASSES);
  }

  @Test
  void nothingShippedDependsOnTheTestKitTheBenchmarkOrTheDevelopmentCommand() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.taskpool.core..",
            "io.taskpool.producer..",
            "io.taskpool.worker..",
            "io.taskpool.coordinator..",
            "io.taskpool.cli..",
            "io.taskpool.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.taskpool.testkit..", "io.taskpool.bench..", "io.taskpool.dev..", "org.junit..")
        .check(CLASSES);
  }

  @Test
  void noPublicSignatureOutsideAnInternalPackageMentionsAnInternalType() {
    ArchRuleDefinition.methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("..internal..")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(mentionNoInternalType())
        .check(CLASSES);
  }

  private static ArchCondition<JavaMethod> mentionNoInternalType() {
    return new ArchCondition<>("mention no type of an internal package") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        Stream.concat(Stream.of(method.getRawReturnType()), method.getRawParameterTypes().stream())
            .filter(ArchitectureTest::isInternal)
            .forEach(
                type ->
                    events.add(
                        SimpleConditionEvent.violated(
                            method, method.getFullName() + " mentions " + type.getName())));
      }
    };
  }

  private static boolean isInternal(JavaClass type) {
    JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
    return base.getPackageName().startsWith("io.taskpool")
        && base.getPackageName().contains(".internal");
  }
}

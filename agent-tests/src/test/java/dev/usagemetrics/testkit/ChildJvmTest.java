package dev.usagemetrics.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Launching, watching and stopping child JVMs, on this JDK and on Temurin 25. */
class ChildJvmTest {

  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ChildJvm.Builder fixture(String... args) {
    return ChildJvm.builder()
        .name("fixture")
        .classpath(System.getProperty("java.class.path"))
        .mainClass(ChildJvmFixture.class.getName())
        .args(args);
  }

  @Test
  void passesPropertiesEnvironmentAndArgumentsAndCapturesBothStreams() {
    try (ChildJvm child = fixture("exit", "3")
        .systemProperty("fixture.property", "p-value")
        .env("FIXTURE_ENV", "e-value")
        .jvmOptions("-Xmx64m")
        .start()) {
      assertEquals(3, child.waitFor(WAIT));
      assertTrue(child.stdout().contains("property=p-value"), child.stdout());
      assertTrue(child.stdout().contains("env=e-value"), child.stdout());
      assertTrue(child.stderr().contains("args=exit,3"), child.stderr());
      assertTrue(child.command().contains("-Xmx64m"));
    }
  }

  @Test
  void sigtermRunsShutdownHooks() {
    try (ChildJvm child = fixture("sleep").start()) {
      child.awaitOutput("ready", WAIT);
      assertTrue(child.isAlive());
      assertTrue(child.pid() > 0);
      child.sendSigterm();
      assertEquals(143, child.waitFor(WAIT)); // 128 + SIGTERM
      assertTrue(child.stdout().contains("terminated"), child.stdout());
    }
  }

  @Test
  void killsAChildThatOutstaysItsTimeout() {
    try (ChildJvm child = fixture("sleep").start()) {
      child.awaitOutput("ready", WAIT);
      AssertionError timeout =
          assertThrows(AssertionError.class, () -> child.waitFor(Duration.ofMillis(200)));
      assertTrue(timeout.getMessage().contains("did not exit"), timeout.getMessage());
      assertFalse(child.isAlive());
    }
  }

  @Test
  void awaitOutputFailsAsSoonAsTheChildExitsWithoutIt() {
    try (ChildJvm child = fixture("exit", "1").start()) {
      AssertionError exited =
          assertThrows(AssertionError.class, () -> child.awaitOutput("never printed", WAIT));
      assertTrue(exited.getMessage().contains("exited with 1"), exited.getMessage());
    }
  }

  @Test
  void closeKillsARunningChild() {
    ChildJvm child = fixture("sleep").start();
    child.awaitOutput("ready", WAIT);
    child.close();
    assertFalse(child.isAlive());
  }

  @Test
  void runsOnAnotherJavaHome() {
    assertTrue(
        Files.isExecutable(TEMURIN_25.resolve("bin/java")),
        "no Temurin 25 at " + TEMURIN_25
            + ": the project's machines ship it, and the child-JVM tests run on it too");
    try (ChildJvm child = fixture("exit", "0").javaHome(TEMURIN_25).start()) {
      assertEquals(0, child.waitFor(WAIT));
      assertTrue(child.stdout().contains("java.version=25"), child.stdout());
    }
  }
}

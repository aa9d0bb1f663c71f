package dev.usagemetrics.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.advice.MethodAdvice;
import dev.usagemetrics.agent.advice.PersistAdvice;
import dev.usagemetrics.agent.advice.QueueAdvice;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.fixtures.ClassFileCorpus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canary of the hand-made weaving ({@link AdviceWeavingMethod}): every method with a body of
 * thousands of real classes, compiled by javac for Java 5 to 17 and by kotlinc (class file versions
 * 49 to 61: with and without stack map frames, lambdas, switches, try/finally, synchronized blocks,
 * long and double locals), woven with every advice, and the last one with two layers, must pass
 * the JVM's own verifier. A change of ASM or of the class file format that the weaving does not
 * follow fails here, not in an application.
 */
class AdviceWeavingCorpusTest {

  private static final List<MethodAdvice> ADVICE = List.of(
      PersistAdvice.SYNCHRONOUS,
      PersistAdvice.ASYNCHRONOUS,
      new QueueAdvice(UsageMetricsBridge.ADDS_ONE),
      new QueueAdvice(UsageMetricsBridge.CHANGES_SIZE | UsageMetricsBridge.IN_SHARED_CLASS));

  @Test
  void everyMethodOfRealLibrariesStillVerifiesWithTheAdviceWovenIn() throws Exception {
    int verified = 0;
    int methods = 0;
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> versions = new HashMap<>();
    for (String library : ClassFileCorpus.LIBRARIES) {
      for (byte[] classFile : ClassFileCorpus.sample(library)) {
        ClassOutline outline = ClassOutline.of(classFile);
        Map<String, List<MethodAdvice>> advice = adviceForEveryMethod(outline);
        if (advice.isEmpty()) {
          continue;
        }
        byte[] woven = ClassWeaver.weave(classFile, outline, advice);
        switch (linkOriginalAndWoven(outline.binaryName(), classFile, woven)) {
          case VERIFIED:
            verified++;
            methods += advice.size();
            versions.merge(outline.version(), 1, Integer::sum);
            break;
          case WOVEN_FAILED:
            failures.add(outline.binaryName());
            break;
          default:
            break;
        }
      }
    }
    assertEquals(
        List.of(),
        failures.subList(0, Math.min(10, failures.size())),
        failures.size() + " woven classes failed verification");
    assertTrue(verified > 3_000, verified + " classes verified");
    assertTrue(
        versions.keySet().containsAll(List.of(49, 50, 52, 55, 61)),
        "class file versions covered: " + versions);
    System.out.println("verified " + verified + " woven classes, " + methods
        + " woven methods; class file versions " + versions);
  }

  private enum Outcome {
    VERIFIED,
    WOVEN_FAILED,
    /** The original does not link here either (an optional dependency is absent): not a finding. */
    NOT_LINKABLE
  }

  /** Defines the original, then the woven class, each in a loader of its own, and links both. */
  private static Outcome linkOriginalAndWoven(String name, byte[] original, byte[] woven) {
    try {
      link(name, original);
    } catch (LinkageError | SecurityException unlinkable) {
      return Outcome.NOT_LINKABLE;
    }
    try {
      link(name, woven);
      return Outcome.VERIFIED;
    } catch (VerifyError | ClassFormatError wovenFailed) {
      System.out.println(name + ": " + wovenFailed);
      return Outcome.WOVEN_FAILED;
    } catch (LinkageError loaderConstraint) {
      // A second definition of the same name meeting the first one's loader constraints.
      return Outcome.NOT_LINKABLE;
    }
  }

  /** Reflecting on a class's methods links it, and linking verifies it. */
  private static void link(String name, byte[] classFile) {
    ClassLoader parent = AdviceWeavingCorpusTest.class.getClassLoader();
    new ClassLoader(parent) {
      Class<?> define() {
        return defineClass(name, classFile, 0, classFile.length);
      }
    }.define().getDeclaredMethods();
  }

  /** Each instance method with a body gets one advice, in turn; every fifth also a second layer. */
  private static Map<String, List<MethodAdvice>> adviceForEveryMethod(ClassOutline outline) {
    Map<String, List<MethodAdvice>> advice = new HashMap<>();
    int i = 0;
    for (ClassOutline.MethodOutline method : outline.methods()) {
      if (method.isInstanceMethodWithBody()) {
        List<MethodAdvice> layers = new ArrayList<>();
        layers.add(ADVICE.get(i % ADVICE.size()));
        if (i % 5 == 4) {
          layers.add(ADVICE.get((i + 1) % ADVICE.size()));
        }
        advice.put(method.signature(), layers);
        i++;
      }
    }
    return advice;
  }
}

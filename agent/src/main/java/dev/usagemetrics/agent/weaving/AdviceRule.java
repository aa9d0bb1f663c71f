package dev.usagemetrics.agent.weaving;

import java.util.Set;
import java.util.function.Supplier;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which classes receive which advice (the advice itself says which of their methods): those in
 * the hierarchy of one configured type, or any, that also have the right shape (e.g. not an
 * interface).
 *
 * <p>The advice is built on first use: building it loads ByteBuddy's advice machinery (a few
 * hundred classes), which the matching does not need and premain should not wait for.
 */
final class AdviceRule {

  /** The configured type whose hierarchy this rule is for; null for a rule that applies by shape alone. */
  private final String hierarchyOf;

  private final ElementMatcher<? super TypeDescription> shape;
  private final Supplier<AsmVisitorWrapper> adviceFactory;
  private volatile AsmVisitorWrapper advice;

  AdviceRule(
      String hierarchyOf,
      ElementMatcher<? super TypeDescription> shape,
      Supplier<AsmVisitorWrapper> adviceFactory) {
    this.hierarchyOf = hierarchyOf;
    this.shape = shape;
    this.adviceFactory = adviceFactory;
  }

  /** {@code configuredTypes}: the configured types {@code type} is or derives from. */
  boolean appliesTo(TypeDescription type, Set<String> configuredTypes) {
    return (hierarchyOf == null || configuredTypes.contains(hierarchyOf)) && shape.matches(type);
  }

  AsmVisitorWrapper advice() {
    AsmVisitorWrapper built = advice;
    if (built == null) {
      synchronized (this) {
        built = advice;
        if (built == null) {
          built = adviceFactory.get();
          advice = built;
        }
      }
    }
    return built;
  }
}

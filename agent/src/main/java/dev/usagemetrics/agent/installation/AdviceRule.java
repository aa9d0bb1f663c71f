package dev.usagemetrics.agent.installation;

import java.util.function.Supplier;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which classes receive which advice (the advice itself says which of their methods).
 *
 * <p>The advice is built on first use: building it loads ByteBuddy's advice machinery (a few
 * hundred classes), which the matching does not need and premain should not wait for.
 */
final class AdviceRule {

  private final ElementMatcher<? super TypeDescription> types;
  private final Supplier<AsmVisitorWrapper> adviceFactory;
  private volatile AsmVisitorWrapper advice;

  AdviceRule(ElementMatcher<? super TypeDescription> types, Supplier<AsmVisitorWrapper> adviceFactory) {
    this.types = types;
    this.adviceFactory = adviceFactory;
  }

  boolean appliesTo(TypeDescription type) {
    return types.matches(type);
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

package dev.usagemetrics.agent.installation;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Which classes receive which advice (the advice itself says which of their methods). */
final class AdviceRule {

  private final ElementMatcher<? super TypeDescription> types;
  private final AsmVisitorWrapper advice;

  AdviceRule(ElementMatcher<? super TypeDescription> types, AsmVisitorWrapper advice) {
    this.types = types;
    this.advice = advice;
  }

  boolean appliesTo(TypeDescription type) {
    return types.matches(type);
  }

  AsmVisitorWrapper advice() {
    return advice;
  }
}

package dev.usagemetrics.agent.installation;

import dev.usagemetrics.agent.log.AgentLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/** Feeds the {@link TargetReport}, logs transformations (debug) and failures (once per class); never throws. */
final class TransformationListener extends AgentBuilder.Listener.Adapter {

  private final TargetReport report;

  TransformationListener(TargetReport report) {
    this.report = report;
  }

  @Override
  public void onTransformation(
      TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
    report.seen(type);
    report.instrumented(type.getName());
    AgentLog.debug("instrumented " + type.getName() + (loaded ? " (already loaded: retransformed)" : ""));
  }

  @Override
  public void onIgnored(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded) {
    report.seen(type);
  }

  @Override
  public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
    AgentLog.warnOnce("transform:" + typeName, "could not instrument " + typeName + ", it runs unmeasured: " + error);
  }
}

package dev.usagemetrics.agent.cli;

import dev.usagemetrics.agent.classification.ErrorRule;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ExportSettings;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import java.time.Duration;
import java.util.Map;

/** Prints a configuration as the agent will use it: defaults filled in, header values redacted. */
final class EffectiveConfigPrinter {

  static final String REDACTED = "<redacted>";

  private EffectiveConfigPrinter() {}

  static String print(AgentConfig config) {
    StringBuilder out = new StringBuilder();
    out.append("strict: ").append(config.strict()).append('\n');
    out.append("log:\n  level: ").append(config.logLevel().name().toLowerCase()).append('\n');
    out.append("  file: ")
        .append(config.logFile() == null ? "(stderr)" : config.logFile())
        .append('\n');
    out.append("  unmatched_targets_after: ")
        .append(seconds(config.unmatchedTargetWarningDelay()))
        .append('\n');
    out.append("persist:\n  targets:\n");
    for (PersistTarget target : config.persistTargets()) {
      out.append("    - class: ").append(target.className()).append('\n');
      out.append("      methods: ").append(target.methodNames()).append('\n');
    }
    out.append("queue:\n  targets:\n");
    for (QueueTarget target : config.queueTargets()) {
      out.append("    - class: ").append(target.className()).append('\n');
      out.append("      enqueue: ").append(target.enqueueMethodNames()).append('\n');
      out.append("      dequeue: ").append(target.dequeueMethodNames()).append('\n');
    }
    out.append("errors:\n  default_type: ").append(config.defaultErrorType()).append('\n');
    out.append(
        "  # precedence: your rules first, in order (any match in the cause chain); then the shipped\n"
            + "  # rules by evidence: a vendor error code, else an SQLState, else an exception class\n");
    out.append("  rules:\n");
    for (ErrorRule rule : config.errorRules()) {
      out.append("    - error_type: ")
          .append(rule.errorType())
          .append(rule.isShipped() ? "  # shipped" : "")
          .append('\n');
      out.append("      exceptions: ").append(rule.exceptionClassNames()).append('\n');
      out.append("      sql_states: ").append(rule.sqlStatePrefixes()).append('\n');
      out.append("      error_codes: ").append(rule.errorCodes()).append('\n');
    }
    ExportSettings export = config.export();
    out.append("export:  # -Dotel.* and OTEL_* variables override these\n");
    out.append("  endpoint: ")
        .append(orDefault(export.endpoint(), "(OpenTelemetry default)"))
        .append('\n');
    out.append("  protocol: ")
        .append(orDefault(export.protocol(), "(OpenTelemetry default: grpc)"))
        .append('\n');
    out.append("  headers:");
    appendRedacted(out, export.headers());
    out.append("  interval: ")
        .append(
            export.interval() == null ? "(OpenTelemetry default: 60s)" : seconds(export.interval()))
        .append('\n');
    out.append("  timeout: ")
        .append(
            export.timeout() == null ? "(OpenTelemetry default: 10s)" : seconds(export.timeout()))
        .append('\n');
    out.append("  shutdown_timeout: ").append(seconds(export.shutdownTimeout())).append('\n');
    out.append("  service_name: ")
        .append(orDefault(export.serviceName(), "(OpenTelemetry default)"))
        .append('\n');
    out.append("  resource_attributes: ").append(export.resourceAttributes()).append('\n');
    out.append("  disabled_resource_providers: ")
        .append(export.disabledResourceProviders())
        .append('\n');
    out.append("  sdk_telemetry: ").append(export.sdkTelemetry()).append('\n');
    out.append("  otlp_enabled: ").append(export.otlpEnabled()).append('\n');
    out.append("  prometheus: ")
        .append(
            export.prometheusPort().isPresent()
                ? "{host: " + export.prometheusHost() + ", port: "
                    + export.prometheusPort().getAsInt() + "}"
                : "(off)")
        .append('\n');
    out.append("  certificate: ")
        .append(orDefault(export.tls().trustedCertificates(), "(the JVM's trusted certificates)"))
        .append('\n');
    out.append("  client_certificate: ")
        .append(orDefault(export.tls().clientCertificate(), "(none)"))
        .append('\n');
    out.append("  client_key: ")
        .append(orDefault(export.tls().clientKey(), "(none)"))
        .append('\n');
    return out.toString();
  }

  private static void appendRedacted(StringBuilder out, Map<String, String> headers) {
    if (headers.isEmpty()) {
      out.append(" {}\n");
      return;
    }
    out.append('\n');
    headers.keySet().stream()
        .sorted()
        .forEach(name ->
            out.append("    ").append(name).append(": ").append(REDACTED).append('\n'));
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }
}

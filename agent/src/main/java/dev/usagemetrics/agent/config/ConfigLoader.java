package dev.usagemetrics.agent.config;

import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_ERRORS;

import dev.usagemetrics.agent.classification.DefaultErrorRules;
import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.classification.ErrorRule;
import dev.usagemetrics.agent.log.LogLevel;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates the agent's YAML configuration. Every key is known, every value typed, and
 * all problems are reported at once with their location.
 */
public final class ConfigLoader {

  /** Larger files are refused: a configuration is a few dozen lines. */
  static final int MAX_FILE_BYTES = 256 * 1024;

  static final Set<String> PROTOCOLS = Set.of("grpc", "http/protobuf");

  /** What a key left out of the {@code export} section means. */
  private static final ExportSettings EXPORT_DEFAULTS = ExportSettings.builder().build();

  static final Duration DEFAULT_UNMATCHED_WARNING_DELAY = Duration.ofSeconds(60);

  private static final Set<String> TEXT = Set.of(YamlNode.STR);
  private static final Set<String> TEXT_OR_NUMBER = Set.of(YamlNode.STR, YamlNode.INT);

  private final EnvironmentSubstitution substitution;

  public ConfigLoader() {
    this(EnvironmentSubstitution.ofSystemEnvironment());
  }

  ConfigLoader(EnvironmentSubstitution substitution) {
    this.substitution = substitution;
  }

  /** Reads {@code file}; a missing, unreadable or oversized file is a problem like any other. */
  public AgentConfig load(Path file) throws ConfigException {
    String source = file.toString();
    if (!Files.exists(file)) {
      throw single(
          source,
          "configuration file not found (absolute path: " + file.toAbsolutePath()
              + "); pass an existing YAML file");
    }
    if (Files.isDirectory(file)) {
      throw single(
          source, "is a directory, not a configuration file; pass the path of the YAML file");
    }
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw single(
            source,
            "file is larger than " + MAX_FILE_BYTES / 1024
                + " KiB; an agent configuration is a few dozen lines");
      }
      bytes = readAllBytes(file);
    } catch (IOException e) {
      throw single(source, "cannot read the file (" + e + "); check its permissions");
    }
    return parse(new String(bytes, StandardCharsets.UTF_8), source);
  }

  /**
   * The file's bytes, read through {@code java.io}: {@link Files#readAllBytes} would load NIO's
   * channel classes and native library on the application's main thread (about 4 ms of premain).
   * When {@code java.io} cannot read it, {@link Files} says why, in the words this report has always
   * used.
   */
  private static byte[] readAllBytes(Path file) throws IOException {
    try (InputStream in = new FileInputStream(file.toFile())) {
      return in.readAllBytes();
    } catch (IOException unreadable) {
      return Files.readAllBytes(file);
    }
  }

  /** Parses YAML text; {@code source} names it in problem locations. */
  public AgentConfig parse(String yaml, String source) throws ConfigException {
    YamlNode root = compose(yaml, source);
    YamlReader reader = new YamlReader(source, substitution);
    reader.rejectTypeTags(root);
    YamlReader.Mapping top = reader.mapping(
        root,
        YamlReader.TOP_LEVEL,
        Set.of("strict", "log", "persist", "queue", "errors", "export"));
    if (top == null) {
      throw new ConfigException(reader.problems());
    }
    if (!reader.problems().isEmpty()) {
      throw new ConfigException(reader.problems(), saysStrictTrue(top));
    }
    boolean strict = top.bool("strict", false);
    LogSettings log = readLog(reader, top);
    List<PersistTarget> persistTargets = readPersistTargets(reader, top);
    List<QueueTarget> queueTargets = readQueueTargets(reader, top);
    if (persistTargets.isEmpty() && queueTargets.isEmpty() && reader.problems().isEmpty()) {
      reader.problem(
          root,
          "nothing to instrument: add at least one entry under 'persist.targets' or 'queue.targets'");
    }
    ErrorSettings errors = readErrors(reader, top);
    ExportSettings export = readExport(reader, top);
    if (!reader.problems().isEmpty()) {
      throw new ConfigException(reader.problems(), strict);
    }
    return new AgentConfig(
        source,
        persistTargets,
        queueTargets,
        errors.rules,
        errors.defaultType,
        export,
        strict,
        log.level,
        log.file,
        log.unmatchedWarningDelay);
  }

  /** Whether the top level says {@code strict: true}; reports nothing when it says anything else. */
  private static boolean saysStrictTrue(YamlReader.Mapping top) {
    YamlNode value = top.get("strict");
    return value != null
        && value.isScalar()
        && YamlNode.BOOL.equals(value.tag())
        && Boolean.parseBoolean(value.value().toLowerCase(Locale.ROOT));
  }

  /**
   * The document's root node: composed by hand when it is written in the plain block YAML of a
   * configuration, otherwise (and for every malformed document) by SnakeYAML Engine.
   */
  private static YamlNode compose(String yaml, String source) throws ConfigException {
    Optional<YamlNode> root = BlockYamlComposer.compose(yaml);
    return root.isPresent() ? root.get() : YamlEngineComposer.compose(yaml, source);
  }

  static ConfigException single(String location, String message) {
    return new ConfigException(List.of(new ConfigProblem(location, message)));
  }

  private static final class LogSettings {
    LogLevel level = LogLevel.INFO;
    String file;
    Duration unmatchedWarningDelay = DEFAULT_UNMATCHED_WARNING_DELAY;
  }

  private static LogSettings readLog(YamlReader reader, YamlReader.Mapping top) {
    LogSettings settings = new LogSettings();
    if (!top.has("log")) {
      return settings;
    }
    YamlReader.Mapping log =
        reader.mapping(top.get("log"), "log", Set.of("level", "file", "unmatched_targets_after"));
    if (log == null) {
      return settings;
    }
    String level = log.string("level", "info");
    try {
      settings.level = LogLevel.valueOf(level.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      reader.problem(
          log.get("level"), "'log.level' must be quiet, info or debug; got '" + level + "'");
    }
    settings.file = log.string("file", null);
    settings.unmatchedWarningDelay =
        log.duration("unmatched_targets_after", DEFAULT_UNMATCHED_WARNING_DELAY);
    return settings;
  }

  private static List<PersistTarget> readPersistTargets(YamlReader reader, YamlReader.Mapping top) {
    List<PersistTarget> targets = new ArrayList<>();
    if (!top.has("persist")) {
      return targets;
    }
    YamlReader.Mapping persist = reader.mapping(top.get("persist"), "persist", Set.of("targets"));
    if (persist == null || !persist.has("targets")) {
      if (persist != null) {
        reader.problem(persist.node(), "'persist' needs 'targets': a list of {class, methods}");
      }
      return targets;
    }
    List<YamlNode> entries = reader.sequence(persist.get("targets"), "persist.targets");
    for (int i = 0; i < entries.size(); i++) {
      String path = "persist.targets[" + i + "]";
      YamlReader.Mapping entry = reader.mapping(entries.get(i), path, Set.of("class", "methods"));
      if (entry == null) {
        continue;
      }
      String className = className(reader, entry);
      List<String> methods = methodNames(reader, entry, "methods", null);
      if (methods == null) {
        if (entry.has("methods")) {
          continue; // present but of the wrong type: already reported at its value
        }
        reader.problem(
            entry.node(),
            "missing required key 'methods' under '" + path
                + "': the persist method names to time");
      } else if (className != null) {
        targets.add(new PersistTarget(className, methods));
      }
    }
    return targets;
  }

  private static List<QueueTarget> readQueueTargets(YamlReader reader, YamlReader.Mapping top) {
    List<QueueTarget> targets = new ArrayList<>();
    if (!top.has("queue")) {
      return targets;
    }
    YamlReader.Mapping queue = reader.mapping(top.get("queue"), "queue", Set.of("targets"));
    if (queue == null || !queue.has("targets")) {
      if (queue != null) {
        reader.problem(
            queue.node(), "'queue' needs 'targets': a list of {class, enqueue, dequeue}");
      }
      return targets;
    }
    List<YamlNode> entries = reader.sequence(queue.get("targets"), "queue.targets");
    for (int i = 0; i < entries.size(); i++) {
      YamlReader.Mapping entry = reader.mapping(
          entries.get(i), "queue.targets[" + i + "]", Set.of("class", "enqueue", "dequeue"));
      if (entry == null) {
        continue;
      }
      String className = className(reader, entry);
      List<String> enqueue = methodNames(reader, entry, "enqueue", List.of("offer"));
      List<String> dequeue = methodNames(reader, entry, "dequeue", List.of("poll"));
      if (className != null && enqueue != null && dequeue != null) {
        targets.add(new QueueTarget(className, enqueue, dequeue));
      }
    }
    return targets;
  }

  private static String className(YamlReader reader, YamlReader.Mapping entry) {
    String className = entry.requiredString("class");
    if (className != null && !JavaNames.isClassName(className)) {
      reader.problem(
          entry.get("class"),
          "'" + entry.path("class") + "' is not a fully qualified Java class name: '" + className
              + "' (nested classes use '$': com.acme.Outer$Inner)");
      return null;
    }
    return className;
  }

  private static List<String> methodNames(
      YamlReader reader, YamlReader.Mapping entry, String key, List<String> fallback) {
    List<String> names = entry.stringList(key, fallback, TEXT);
    if (names == null) {
      return null;
    }
    if (names.isEmpty()) {
      reader.problem(entry.get(key), "'" + entry.path(key) + "' must name at least one method");
    }
    for (String name : names) {
      if (!JavaNames.isMethodName(name)) {
        reader.problem(
            entry.get(key),
            "'" + entry.path(key) + "' has '" + name
                + "', which is not a Java method name (write the name only, no parameters)");
      }
    }
    return names;
  }

  private static final class ErrorSettings {
    List<ErrorRule> rules = DefaultErrorRules.rules();
    String defaultType = DefaultErrorRules.DEFAULT_ERROR_TYPE;
  }

  private static ErrorSettings readErrors(YamlReader reader, YamlReader.Mapping top) {
    ErrorSettings settings = new ErrorSettings();
    if (!top.has("errors")) {
      return settings;
    }
    YamlReader.Mapping errors = reader.mapping(
        top.get("errors"), "errors", Set.of("default_type", "include_defaults", "rules"));
    if (errors == null) {
      return settings;
    }
    String defaultType = errors.string("default_type", DefaultErrorRules.DEFAULT_ERROR_TYPE);
    settings.defaultType =
        errorType(reader, errors.get("default_type"), "errors.default_type", defaultType);
    List<ErrorRule> rules = new ArrayList<>();
    if (errors.has("rules")) {
      List<YamlNode> entries = reader.sequence(errors.get("rules"), "errors.rules");
      for (int i = 0; i < entries.size(); i++) {
        String path = "errors.rules[" + i + "]";
        YamlReader.Mapping entry = reader.mapping(
            entries.get(i), path, Set.of("error_type", "exceptions", "sql_states", "error_codes"));
        if (entry == null) {
          continue;
        }
        String type = errorType(
            reader,
            entry.get("error_type"),
            entry.path("error_type"),
            entry.requiredString("error_type"));
        List<String> exceptions = entry.stringList("exceptions", List.of(), TEXT);
        List<String> sqlStates = entry.stringList("sql_states", List.of(), TEXT_OR_NUMBER);
        List<Integer> errorCodes = errorCodes(reader, entry);
        for (String exception : exceptions) {
          if (!JavaNames.isClassName(exception)) {
            reader.problem(
                entry.get("exceptions"),
                "'" + entry.path("exceptions") + "' has '" + exception
                    + "', which is not a fully qualified class name");
          }
        }
        if (exceptions.isEmpty() && sqlStates.isEmpty() && errorCodes.isEmpty()) {
          reader.problem(
              entry.node(),
              "'" + path
                  + "' matches nothing: give 'exceptions' (class names), 'sql_states' and/or 'error_codes'");
        }
        if (type != null) {
          rules.add(new ErrorRule(type, exceptions, sqlStates, errorCodes));
        }
      }
    }
    if (errors.bool("include_defaults", true)) {
      rules.addAll(DefaultErrorRules.rules());
    }
    if (rules.size() > ErrorClassifier.MAX_RULES) {
      reader.problem(
          errors.get("rules"),
          "'errors.rules' has " + rules.size() + " rules with the shipped ones; at most "
              + ErrorClassifier.MAX_RULES
              + " are supported (list several exceptions in one rule instead)");
    }
    settings.rules = rules;
    return settings;
  }

  /** {@code error_codes}: vendor error codes ({@code SQLException.getErrorCode()}), non-zero integers. */
  private static List<Integer> errorCodes(YamlReader reader, YamlReader.Mapping entry) {
    List<Integer> codes = new ArrayList<>();
    for (String text : entry.stringList("error_codes", List.of(), Set.of(YamlNode.INT))) {
      try {
        int code = Integer.parseInt(text);
        if (code == 0) {
          throw new NumberFormatException("0 means no vendor code");
        }
        codes.add(code);
      } catch (NumberFormatException notACode) {
        reader.problem(
            entry.get("error_codes"),
            "'" + entry.path("error_codes") + "' has '" + text
                + "', which is not a vendor error code: give non-zero integers as SQLException.getErrorCode()"
                + " returns them");
      }
    }
    return codes;
  }

  private static String errorType(YamlReader reader, YamlNode node, String path, String type) {
    List<String> errorTypes = PERSIST_ERRORS.attributeValues();
    if (type == null || errorTypes.contains(type)) {
      return type;
    }
    reader.problem(
        node,
        "'" + path + "' is '" + type + "', which is not an "
            + PERSIST_ERRORS.attributeName() + " of " + PERSIST_ERRORS.name()
            + Suggestions.didYouMean(type, errorTypes));
    return null;
  }

  private static final String EXEMPLAR_FILTER_PROPERTY = "otel.metrics.exemplar.filter";
  private static final String EXEMPLAR_FILTER_VARIABLE = "OTEL_METRICS_EXEMPLAR_FILTER";
  private static final Set<String> EXEMPLAR_FILTERS =
      Set.of("trace_based", "always_on", "always_off");

  private static ExportSettings readExport(YamlReader reader, YamlReader.Mapping top) {
    YamlReader.Mapping export = top.has("export")
        ? reader.mapping(
            top.get("export"),
            "export",
            Set.of(
                "endpoint",
                "protocol",
                "headers",
                "interval",
                "timeout",
                "shutdown_timeout",
                "service_name",
                "resource_attributes",
                "otlp_enabled",
                "prometheus",
                "certificate",
                "client_key",
                "client_certificate",
                "disabled_resource_providers",
                "sdk_telemetry",
                "exemplars"))
        : null;
    ExportSettings.Builder settings = ExportSettings.builder();
    if (export == null) {
      return settings
          .exemplars(EXPORT_DEFAULTS.exemplars() && exemplarFilterAllows(reader))
          .build();
    }
    YamlReader.Mapping prometheus = export.has("prometheus")
        ? reader.mapping(export.get("prometheus"), "export.prometheus", Set.of("host", "port"))
        : null;
    String endpoint = export.string("endpoint", null);
    if (endpoint != null && !isHttpUrl(endpoint)) {
      reader.problem(
          export.get("endpoint"),
          "'export.endpoint' must be an http:// or https:// URL with a host, like http://127.0.0.1:4317; got '"
              + endpoint + "'");
    }
    String protocol = export.string("protocol", null);
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      reader.problem(
          export.get("protocol"),
          "'export.protocol' must be grpc or http/protobuf; got '" + protocol + "'"
              + Suggestions.didYouMean(protocol, PROTOCOLS));
    }
    settings
        .endpoint(endpoint)
        .protocol(protocol)
        .headers(export.stringMap("headers"))
        .interval(export.duration("interval", null))
        .timeout(export.duration("timeout", null))
        .shutdownTimeout(export.duration("shutdown_timeout", EXPORT_DEFAULTS.shutdownTimeout()))
        .serviceName(export.string("service_name", null))
        .resourceAttributes(export.stringMap("resource_attributes"))
        .otlpEnabled(export.bool("otlp_enabled", EXPORT_DEFAULTS.otlpEnabled()));
    if (prometheus != null) {
      settings.prometheus(
          prometheus.string("host", ExportSettings.DEFAULT_PROMETHEUS_HOST),
          prometheus.integer("port", ExportSettings.DEFAULT_PROMETHEUS_PORT, 0, 65535));
    }
    return settings
        .tls(readTls(reader, export))
        .disabledResourceProviders(readDisabledResourceProviders(reader, export))
        .sdkTelemetry(export.bool("sdk_telemetry", EXPORT_DEFAULTS.sdkTelemetry()))
        .exemplars(
            export.bool("exemplars", EXPORT_DEFAULTS.exemplars()) && exemplarFilterAllows(reader))
        .build();
  }

  /**
   * The standard exemplar filter, {@code -Dotel.metrics.exemplar.filter} or else
   * {@code OTEL_METRICS_EXEMPLAR_FILTER}: false for {@code always_off}; {@code trace_based} (the
   * default) and {@code always_on} keep exemplars of calls inside a sampled span (a call outside
   * one has no trace to link). Any other value is a problem.
   */
  private static boolean exemplarFilterAllows(YamlReader reader) {
    String property = System.getProperty(EXEMPLAR_FILTER_PROPERTY);
    String where = property != null
        ? "system property " + EXEMPLAR_FILTER_PROPERTY
        : "environment variable " + EXEMPLAR_FILTER_VARIABLE;
    String value = property != null ? property : System.getenv(EXEMPLAR_FILTER_VARIABLE);
    if (value == null) {
      return true;
    }
    String filter = value.trim().toLowerCase(Locale.ROOT);
    if (!EXEMPLAR_FILTERS.contains(filter)) {
      reader
          .problems()
          .add(new ConfigProblem(
              where,
              "is '" + value
                  + "'; set it to trace_based, always_on or always_off"
                  + Suggestions.didYouMean(filter, EXEMPLAR_FILTERS)
                  + ", or unset it (trace_based)"));
    }
    return !"always_off".equals(filter);
  }

  private static List<String> readDisabledResourceProviders(
      YamlReader reader, YamlReader.Mapping export) {
    List<String> names = export.stringList("disabled_resource_providers", List.of(), TEXT);
    for (String name : names) {
      if (!ExportSettings.RESOURCE_PROVIDERS.contains(name)) {
        reader.problem(
            export.get("disabled_resource_providers"),
            "'export.disabled_resource_providers' has '"
                + name + "'; the resource providers are "
                + String.join(", ", new TreeSet<>(ExportSettings.RESOURCE_PROVIDERS))
                + Suggestions.didYouMean(name, ExportSettings.RESOURCE_PROVIDERS));
      }
    }
    return names;
  }

  private static ExportSettings.Tls readTls(YamlReader reader, YamlReader.Mapping export) {
    String certificate = readableFile(reader, export, "certificate");
    String clientKey = readableFile(reader, export, "client_key");
    String clientCertificate = readableFile(reader, export, "client_certificate");
    if (export.has("client_key") != export.has("client_certificate")) {
      String given = export.has("client_key") ? "client_key" : "client_certificate";
      reader.problem(
          export.get(given),
          "'export." + given
              + "' needs its pair: mutual TLS takes both 'export.client_key' and 'export.client_certificate'");
    }
    return new ExportSettings.Tls(certificate, clientKey, clientCertificate);
  }

  /** A PEM file the exporter reads when it starts: checked now, so a wrong path is a located problem. */
  private static String readableFile(YamlReader reader, YamlReader.Mapping export, String key) {
    String path = export.string(key, null);
    if (path == null) {
      return null;
    }
    Path file = Path.of(path);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      reader.problem(
          export.get(key),
          "'export." + key + "' must name a readable PEM file; '" + path + "' "
              + (Files.exists(file) ? "cannot be read" : "does not exist") + " (absolute path: "
              + file.toAbsolutePath() + ")");
    }
    return path;
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      // getHost() is null for names with '_' (common in docker-compose), so check the authority.
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getRawAuthority() != null
          && !uri.getRawAuthority().isBlank();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}

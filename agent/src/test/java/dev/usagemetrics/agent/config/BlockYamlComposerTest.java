package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.JsonScalarResolver;

/**
 * The hand-written composer against SnakeYAML Engine: on every document it composes, the engine
 * composes the same tree (converted to {@link YamlNode}s); it composes the configurations people
 * write; and it spares the engine.
 */
class BlockYamlComposerTest {

  private static final String SOURCE = "agent.yaml";

  private static final Path REPOSITORY_CONFIG = YamlCorpus.REPOSITORY.resolve("config");

  /**
   * Each document of the corpus is either declined or composed into the engine's tree; a document
   * the engine refuses is always declined.
   */
  @Test
  void composesWhatTheEngineComposesOrDeclines() {
    Map<String, String> corpus = corpus();
    List<String> mismatches = new ArrayList<>();
    int composed = 0;
    for (Map.Entry<String, String> document : corpus.entrySet()) {
      Optional<YamlNode> fast = BlockYamlComposer.compose(document.getKey());
      if (fast.isEmpty()) {
        continue;
      }
      composed++;
      String expected = engineTree(document.getKey());
      String actual = describe(fast.get());
      if (!actual.equals(expected)) {
        mismatches.add(document.getValue() + ":\n" + document.getKey() + "\nengine:\n" + expected
            + "\nhand-written:\n" + actual);
      }
    }
    assertTrue(
        mismatches.isEmpty(),
        mismatches.size() + " of " + composed + " composed differ; the first: "
            + (mismatches.isEmpty() ? "" : mismatches.get(0)));
    assertTrue(composed > 5_000, "only " + composed + " of " + corpus.size() + " composed");
  }

  /** What people write is composed without the engine (and as the engine composes it). */
  @Test
  void composesTheConfigurationsPeopleWrite() {
    Map<String, String> typical = new LinkedHashMap<>();
    typical.putAll(YamlCorpus.files(REPOSITORY_CONFIG.resolve("usage-metrics-agent.yaml")));
    typical.putAll(YamlCorpus.markdownBlocks(YamlCorpus.markdownFiles()));
    typical.put("benchmark configuration", benchmarkConfiguration());
    typical.putAll(typicalConfigurations());
    for (Map.Entry<String, String> document : typical.entrySet()) {
      Optional<YamlNode> fast = BlockYamlComposer.compose(document.getValue());
      assertTrue(fast.isPresent(), document.getKey() + " declined:\n" + document.getValue());
      assertEquals(engineTree(document.getValue()), describe(fast.get()), document.getKey());
    }
  }

  /**
   * The documents the child-JVM tests write (pieces of them: the tests join helpers' lines) that
   * the engine composes into a mapping are composed without it, but for flow mappings, anchors
   * and explicit keys ('?'), which are outside the subset.
   */
  @Test
  void composesWhatTheChildJvmTestsWrite() {
    Map<String, String> written =
        YamlCorpus.javaSources(YamlCorpus.REPOSITORY.resolve("agent-tests/src"));
    int composed = 0;
    for (Map.Entry<String, String> document : written.entrySet()) {
      String yaml = document.getValue();
      YamlNode root = engineRoot(yaml);
      if (root != null && root.isMapping() && !yaml.matches("(?s).*[{&?].*")) {
        Optional<YamlNode> fast = BlockYamlComposer.compose(yaml);
        assertTrue(fast.isPresent(), document.getKey() + " declined:\n" + yaml);
        assertEquals(describe(root), describe(fast.get()), document.getKey());
        composed++;
      }
    }
    assertTrue(composed > 20, "only " + composed + " documents found in the child-JVM tests");
  }

  @Test
  void resolvesPlainScalarsAsTheEnginesJsonSchema() {
    JsonScalarResolver json = new JsonScalarResolver();
    for (String value : SCALARS) {
      Tag engine = json.resolve(value, true);
      assertEquals(
          (Tag.ENV_TAG.equals(engine) ? Tag.STR : engine).getValue(),
          BlockYamlComposer.tagOf(value),
          value);
    }
  }

  /**
   * Reading the repository's configuration loads no class of the engine at all; a flow mapping,
   * which goes to the engine, loads its settings, composer and nodes.
   */
  @Test
  void readingAConfigurationLeavesTheEngineUnloaded() throws Exception {
    List<String> engineClasses = engineClassNames();
    try (IsolatedClassLoader loader = new IsolatedClassLoader()) {
      loader.parse(YamlCorpus.read(REPOSITORY_CONFIG.resolve("usage-metrics-agent.yaml")));
      assertEquals(List.of(), loader.loaded(engineClasses));

      loader.parse("persist:\n  targets: [{class: a.B, methods: save}]\n");
      List<String> loaded = loader.loaded(engineClasses);
      assertTrue(loaded.contains(LoadSettings.class.getName()), "loaded: " + loaded);
      assertTrue(loaded.contains(Tag.class.getName()), "loaded: " + loaded);
    }
  }

  private static List<String> engineClassNames() throws IOException {
    URL jar = LoadSettings.class.getProtectionDomain().getCodeSource().getLocation();
    try (JarFile classes = new JarFile(Path.of(jar.getPath()).toFile())) {
      return classes.stream()
          .map(entry -> entry.getName())
          .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF"))
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .collect(Collectors.toList());
    }
  }

  /** The test's class path in a loader of its own, so that it starts with no class loaded. */
  private static final class IsolatedClassLoader extends URLClassLoader {
    IsolatedClassLoader() throws IOException {
      super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    private static URL[] classPath() throws IOException {
      List<URL> urls = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
      return urls.toArray(new URL[0]);
    }

    void parse(String yaml) throws ReflectiveOperationException {
      Class<?> loaderClass = Class.forName(ConfigLoader.class.getName(), true, this);
      Object configLoader = loaderClass.getConstructor().newInstance();
      loaderClass.getMethod("parse", String.class, String.class).invoke(configLoader, yaml, SOURCE);
    }

    List<String> loaded(List<String> classNames) {
      return classNames.stream()
          .filter(name -> findLoadedClass(name) != null)
          .collect(Collectors.toList());
    }
  }

  /** The engine's tree, described; or that the engine refuses the document. */
  private static String engineTree(String yaml) {
    YamlNode root = engineRoot(yaml);
    return root == null ? "refused or empty" : describe(root);
  }

  /** The engine's root node, composed as the loader composes it; null when it refuses or is empty. */
  private static YamlNode engineRoot(String yaml) {
    try {
      return YamlEngineComposer.compose(yaml, SOURCE);
    } catch (ConfigException refused) {
      return null;
    }
  }

  /** Every node with kind, tag, value and start, one per line, children indented. */
  static String describe(YamlNode node) {
    StringBuilder out = new StringBuilder();
    describe(node, "", out);
    return out.toString();
  }

  private static void describe(YamlNode node, String indent, StringBuilder out) {
    String kind = node.isScalar() ? "scalar" : node.isSequence() ? "sequence" : "mapping";
    out.append(indent).append(kind).append(' ').append(node.tag());
    if (node.isScalar()) {
      out.append(" '").append(node.value()).append('\'');
    }
    out.append(" at ").append(node.line()).append(':').append(node.column()).append('\n');
    if (node.isMapping()) {
      for (Map.Entry<YamlNode, YamlNode> entry : node.entries()) {
        describe(entry.getKey(), indent + "  key: ", out);
        describe(entry.getValue(), indent + "  value: ", out);
      }
    } else if (node.isSequence()) {
      for (YamlNode element : node.elements()) {
        describe(element, indent + "  - ", out);
      }
    }
  }

  /** The corpus, each document once (the key), with where it was first found. */
  private static Map<String, String> corpus() {
    Map<String, String> found = new LinkedHashMap<>();
    found.putAll(YamlCorpus.files(REPOSITORY_CONFIG));
    found.putAll(YamlCorpus.markdownBlocks(YamlCorpus.markdownFiles()));
    ConfigLoaderProblemsTest.badConfigs().forEach(bad -> found.put("bad config: " + bad, bad.yaml));
    found.putAll(YamlCorpus.javaSources(YamlCorpus.REPOSITORY.resolve("agent/src/test/java")));
    found.putAll(YamlCorpus.javaSources(YamlCorpus.REPOSITORY.resolve("agent-tests/src")));
    found.putAll(typicalConfigurations());
    found.put("benchmark configuration", benchmarkConfiguration());
    found.putAll(variants());
    Map<String, String> corpus = new LinkedHashMap<>();
    found.forEach((name, yaml) -> corpus.putIfAbsent(yaml, name));
    Map<String, String> mutated = new LinkedHashMap<>();
    corpus.forEach(
        (yaml, name) -> mutations(yaml).forEach(m -> mutated.putIfAbsent(m, name + " mutated")));
    mutated.forEach(corpus::putIfAbsent);
    return corpus;
  }

  /** The benchmarks' configuration: the text blocks that AgentConfigFile joins. */
  private static String benchmarkConfiguration() {
    return YamlCorpus.javaSources(YamlCorpus.REPOSITORY.resolve(
            "agent-tests/src/bench/java/dev/usagemetrics/bench/AgentConfigFile.java"))
        .values()
        .stream()
        .filter(text -> text.contains(":\n"))
        .collect(Collectors.joining());
  }

  /** Configurations as people write them: the shapes of the README, the bench and the tests. */
  private static Map<String, String> typicalConfigurations() {
    Map<String, String> typical = new LinkedHashMap<>();
    typical.put(
        "sequence at its key's indentation",
        String.join(
            "\n",
            "persist:",
            "  targets:",
            "  - class: com.acme.Repo",
            "    methods:",
            "    - save",
            "    - saveAll",
            "queue:",
            "  targets:",
            "  - class: com.acme.Queue",
            "    enqueue: offer",
            "export:",
            "  endpoint: http://127.0.0.1:4318",
            "  protocol: http/protobuf",
            ""));
    typical.put(
        "four spaces, quotes and comments",
        String.join(
            "\n",
            "# the agent",
            "",
            "strict: true",
            "log:",
            "    level: 'debug'   # for now",
            "    file: \"/var/log/agent.log\"",
            "persist:",
            "    targets:",
            "        -   class: com.acme.Repo",
            "            methods: [ save , 'saveAll', \"flush\" ]",
            "        # another",
            "        -",
            "            class: com.acme.Other$Inner",
            "            methods: []",
            "errors:",
            "    default_type: db_error",
            "    include_defaults: false",
            "    rules:",
            "        - error_type: timeout",
            "          exceptions: [com.acme.Slow]",
            "          sql_states: [\"57014\", 40001, HYT00]",
            "          error_codes: [1205, -1]",
            "export:",
            "    endpoint: ${OTLP_ENDPOINT:-http://collector:4317}",
            "    headers:",
            "        Authorization: \"Bearer ${TOKEN}\"",
            "        X-Tenant: acme",
            "    interval: 10s",
            "    shutdown_timeout: 2s",
            "    resource_attributes:",
            "        deployment.environment: prod",
            "        replicas: 3",
            "        ratio: 0.5",
            "        canary: false",
            "    prometheus:",
            "        host: 0.0.0.0",
            "        port: 9464",
            "    otlp_enabled: true",
            "    sdk_telemetry: false",
            "    disabled_resource_providers: [process]",
            "    exemplars: true",
            "    certificate:",
            "    timeout:  # unset",
            "    service_name: billing-service")); // no line break at the end
    typical.put(
        "unicode in comments and values",
        String.join(
            "\n",
            "# Überwachung — the repository's persist calls",
            "persist:",
            "  targets:",
            "    - class: com.acme.Dépôt  # a class named in French",
            "      methods: [sauvegarder, 'enregistrer']",
            "export:",
            "  service_name: 計費 😀",
            ""));
    return typical;
  }

  /** Generated documents: every kind of value and key in a few places, and odd structures. */
  private static Map<String, String> variants() {
    Map<String, String> variants = new LinkedHashMap<>();
    for (String value : VALUES) {
      variants.put("value " + value, "key: " + value + "\nnext: 1\n");
      variants.put("nested value " + value, "top:\n  key: " + value + "\n  other: x\nlast: 2");
      variants.put("entry " + value, "list:\n- " + value + "\n- " + value + "\n");
      variants.put("indented entry " + value, "list:\n  - " + value + "\nafter: y\n");
      variants.put("compact " + value, "t:\n  - a: " + value + "\n    b: " + value + "\n");
      variants.put("flow item " + value, "key: [" + value + "]\n");
      variants.put("second flow item " + value, "key: [a, " + value + " ]\n");
      variants.put("key " + value, value + ": v\nz: 1\n");
      variants.put("compact key " + value, "- " + value + ": v\n  " + value + ": w\n");
    }
    for (String structure : STRUCTURES) {
      variants.put("structure " + structure, structure);
    }
    variants.put("long key", "k".repeat(1023) + ": v\n");
    variants.put("too long key", "k".repeat(1024) + ": v\n");
    variants.put("longer key", "k".repeat(1100) + ": v\n");
    variants.put("long value", "key: " + "v".repeat(3000) + "\n");
    variants.put("long flow sequence", "key: [" + "item, ".repeat(500) + "last]\n");
    variants.put(
        "more code points than the engine reads",
        "key: " + "v".repeat(ConfigLoader.MAX_FILE_BYTES) + "\n");
    return variants;
  }

  /** A document with one line changed: indented, outdented, commented, colon-ended, removed. */
  private static List<String> mutations(String yaml) {
    List<String> lines = Arrays.asList(yaml.split("\n", -1));
    if (lines.size() > 60) {
      return List.of();
    }
    List<String> mutations = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      mutations.add(replaced(lines, i, " " + line));
      if (line.startsWith(" ")) {
        mutations.add(replaced(lines, i, line.substring(1)));
      }
      mutations.add(replaced(lines, i, line + " # c"));
      mutations.add(replaced(lines, i, line + ":"));
      mutations.add(replaced(lines, i, null));
    }
    return mutations;
  }

  private static String replaced(List<String> lines, int index, String line) {
    List<String> copy = new ArrayList<>(lines);
    if (line == null) {
      copy.remove(index);
    } else {
      copy.set(index, line);
    }
    return String.join("\n", copy);
  }

  private static final List<String> VALUES = List.of(
      "x",
      "a b",
      "a  b  ",
      "a\tb",
      "'q'",
      "'it''s'",
      "''",
      "'''",
      "\"\"",
      "\"d q\"",
      "\"a\\\"b\"",
      "\"a\\nb\"",
      "'a\\b'",
      "' spaced  '",
      "'multi",
      "\"multi",
      "'a'b",
      "'a' b",
      "'a'#c",
      "'a' #c",
      "[a, 'b', \"c\"]",
      "[]",
      "[ ]",
      "[a,b]",
      "[a , b ]",
      "[a,]",
      "[,a]",
      "[a, [b]]",
      "[a, {b: c}]",
      "[a: b]",
      "[a:b]",
      "[http://x:1]",
      "[a #c]",
      "[a#c]",
      "[a]#c",
      "[a] #c",
      "[a] b",
      "[a",
      "a]",
      "null",
      "Null",
      "NULL",
      "~",
      "true",
      "True",
      "false",
      "FALSE",
      "yes",
      "on",
      "0",
      "-0",
      "00",
      "007",
      "1",
      "-1",
      "+1",
      "12345678901234567890",
      "1.",
      "1.5",
      "-1.5",
      ".5",
      "-.5",
      "1e3",
      "1E+3",
      "1e-3",
      "1.5e3",
      "1e",
      "1e+",
      "0x1",
      "0o7",
      "1_000",
      ".inf",
      "-.inf",
      "+.inf",
      ".Inf",
      ".nan",
      ".NaN",
      "-.nan",
      "0.",
      "-0.0e0",
      "${VAR}",
      "${VAR:-default}",
      "${ VAR }",
      "\"${VAR}\"",
      "$VAR",
      "${",
      "http://host:4317",
      "a:b",
      "a: b",
      "a:",
      "a :b",
      "a # comment",
      "a#b",
      "a #",
      "50%",
      "@x",
      "`x",
      "&anchor x",
      "*alias",
      "!!str x",
      "!tag x",
      "|",
      ">",
      "|\n  text",
      "{a: b}",
      "{}",
      "- x",
      "-x",
      "-1x",
      "-",
      "--",
      "?x",
      "? x",
      ":x",
      "%x",
      "é",
      "naïve value",
      "日本",
      "emoji 😀",
      "a'b",
      "a\"b",
      "a, b",
      "a}",
      "it's",
      "--- x",
      "... x",
      "a\u00a0b",
      "a\u2028b",
      "a\u0085b",
      "a\rb",
      "a\u0007b",
      "\ufeffa",
      "a ",
      "<<",
      "=",
      "a\\b",
      "\\",
      "#",
      "x\n  continued",
      "x\n\n  continued",
      "'x\n  continued'",
      "x\n  # comment\n",
      "x\n# comment\n  y: 1");

  private static final List<String> SCALARS = List.of(
      "",
      "null",
      "Null",
      "NULL",
      "nul",
      "nulls",
      "~",
      "true",
      "True",
      "TRUE",
      "false",
      "f",
      "t",
      "yes",
      "0",
      "-0",
      "00",
      "01",
      "-01",
      "1",
      "-1",
      "+1",
      "10",
      "123456789012345678901234567890",
      "1.",
      "-1.",
      "1.5",
      "1.50",
      "-1.5",
      ".5",
      "-.5",
      "0.5",
      "00.5",
      "1e3",
      "1E3",
      "1e+3",
      "1e-3",
      "1E-03",
      "1.5e3",
      "1.e3",
      "1e",
      "1e+",
      "e3",
      "-e3",
      "1e3.5",
      "0x1",
      "0o7",
      "0b1",
      "1_000",
      "1,000",
      ".inf",
      "-.inf",
      "+.inf",
      ".Inf",
      ".INF",
      "inf",
      ".nan",
      ".NaN",
      "-.nan",
      "nan",
      "-",
      "-.",
      ".",
      "..",
      "1..2",
      "0.0.0.0",
      "${VAR}",
      "${VAR:-x}",
      "${ VAR }",
      "$VAR",
      "${",
      "$",
      "a",
      "a b",
      "١",
      "1 ",
      " 1",
      "true ",
      "null ");

  private static final List<String> STRUCTURES = List.of(
      "",
      "\n\n",
      "# only a comment\n",
      "   \n  # comment\n",
      "a: 1",
      "a: 1\n",
      "a: 1\n\n\n",
      "a: 1\n# trailing comment",
      "a: 1   \n",
      "a:\n",
      "a:",
      "a:   ",
      "a: # comment",
      "a:\nb:\n",
      "a:\n  b:\nc:\n",
      "a:\n  b:\n    c:\n",
      "a:\n  # only a comment below\nb: 1\n",
      "a:\n# comment at column 0\n  b: 1\n  c: 2\n",
      "  a: 1\n  b: 2\n",
      "  a: 1\nb: 2\n",
      "a: 1\n  b: 2\n",
      "a:\n    b: 1\n  c: 2\n",
      "a:\n  b: 1\n c: 2\n",
      "a:\n  b: 1\n   c: 2\n",
      "a: 1\na: 2\n",
      "a  : 1\n",
      "a b: 1\n",
      "- a\n- b\n",
      "- a\n-\n- b\n",
      "-\n",
      "-",
      "- \n- # comment\n",
      "-\n  a: 1\n-\n  - x\n",
      "- - a\n",
      "- a: 1\n  b: 2\n- c: 3\n",
      "-   a: 1\n    b: 2\n",
      "- a: 1\n   b: 2\n",
      "- a: 1\n b: 2\n",
      "- a:\n  - x\n",
      "- a:\n    - x\n  b: 2\n",
      "- a: 1\n  - x\n",
      "a:\n- x\n- y\nb: 1\n",
      "a:\n- x\n  - y\n",
      "a:\n- x\n -y\n",
      "a:\n  - x\n  b: 1\n",
      "a:\n  - x\n- y\n",
      "a:\n- x\nb:\n- y\n",
      "a:\n-\nb: 1\n",
      "a:\n-\n",
      "a:\n- b: 1\n  c:\n  - d\n- e\n",
      "a:\n  -\n    b: 1\n",
      "a: 1\n- x\n",
      "a\n",
      "a: 1\nb\n",
      "a:\n  1\n",
      "a: |\n  text\n",
      "a: >\n  text\n",
      "---\na: 1\n",
      "a: 1\n---\nb: 2\n",
      "a: 1\n...\n",
      "%YAML 1.2\n---\na: 1\n",
      "? a\n: 1\n",
      "&x a: 1\n",
      "a: &x 1\nb: *x\n",
      "!!map\na: 1\n",
      "a: !!str 1\n",
      "'a': 1\n",
      "\"a\": 1\n",
      "[a]: 1\n",
      "{a: 1}\n",
      "[a, b]\n",
      "'a'\n",
      "a\tb: 1\n",
      "a:\n\tb: 1\n",
      "a: 1\r\nb: 2\r\n",
      "\ufeffa: 1\n",
      "a: 1\u2028b: 2\n",
      "a: 1\u0085b: 2\n",
      "é: 1\nü:\n  - ß\n",
      "😀: [😀, '😀']\n",
      "a: x\n  y\n",
      "a: x\n\n  y\n",
      "a: 'x\n  y'\n",
      "a: [x,\n  y]\n",
      "a:\n  b: 1\n\n\n  c: 2\n",
      "a: 1 #c\nb: 2#c\n",
      "key with spaces: value with spaces\n",
      "a:b: 1\n",
      "a: b: c\n",
      "a:#b\n",
      "- a\nb: 1\n",
      "a:\n  - b\n  - c\n  d: 1\n");
}

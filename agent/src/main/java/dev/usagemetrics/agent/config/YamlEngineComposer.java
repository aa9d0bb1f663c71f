package dev.usagemetrics.agent.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Composes any YAML document with SnakeYAML Engine, which words the errors of a malformed one, and
 * converts its tree into {@link YamlNode}s. The only class of the configuration that uses the
 * engine: {@link ConfigLoader} comes here when {@link BlockYamlComposer} declines a document, so
 * reading a configuration in plain block YAML loads none of the engine's classes (the JVM's
 * verifier loads the exception classes a method catches, so they stay out of the loader too).
 */
final class YamlEngineComposer {

  /** Aliases of collections beyond this are refused, which stops "billion laughs" documents early. */
  static final int MAX_COLLECTION_ALIASES = 20;

  /** The document's root node; a problem when it is malformed, refused or empty. */
  static YamlNode compose(String yaml, String source) throws ConfigException {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(source)
        .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
        .setAllowRecursiveKeys(false)
        .setCodePointLimit(ConfigLoader.MAX_FILE_BYTES)
        .setSchema(new EnvReferencesAsTextSchema())
        .build();
    try {
      Optional<Node> root = new Compose(settings).composeString(yaml);
      if (root.isEmpty()) {
        throw ConfigLoader.single(
            source, "the file is empty; it must name at least one persist or queue target");
      }
      return convert(root.get());
    } catch (MarkedYamlEngineException e) {
      String where = e.getProblemMark()
          .map(m -> source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
          .orElse(source);
      throw ConfigLoader.single(
          where,
          "malformed YAML: " + e.getProblem()
              + (e.getContext() == null ? "" : " " + e.getContext()));
    } catch (YamlEngineException e) {
      throw ConfigLoader.single(source, "rejected YAML: " + e.getMessage());
    }
  }

  /**
   * The engine's tree as {@link YamlNode}s, each engine node converted once: aliases make the
   * engine's tree a graph, where a node may appear many times and a collection may hold itself
   * (only recursive keys are refused, by the settings). Iterative, so that nesting the engine
   * composed cannot overflow the stack here.
   */
  private static YamlNode convert(Node root) {
    YamlEngineComposer conversion = new YamlEngineComposer();
    YamlNode converted = conversion.node(root);
    conversion.fillCollections();
    return converted;
  }

  private final Map<Node, YamlNode> converted = new IdentityHashMap<>();

  /** Collections converted empty, with the lists their children go to. */
  private final Deque<Map.Entry<SequenceNode, List<YamlNode>>> unfilledSequences =
      new ArrayDeque<>();

  private final Deque<Map.Entry<MappingNode, List<Map.Entry<YamlNode, YamlNode>>>>
      unfilledMappings = new ArrayDeque<>();

  private YamlEngineComposer() {}

  /** {@code node} converted: a scalar at once, a collection empty and queued to be filled. */
  private YamlNode node(Node node) {
    YamlNode done = converted.get(node);
    if (done != null) {
      return done;
    }
    String tag = node.getTag().getValue();
    Mark start = node.getStartMark().orElseThrow(); // the settings keep marks
    int line = start.getLine();
    int column = start.getColumn();
    YamlNode made;
    if (node instanceof ScalarNode) {
      made = YamlNode.scalar(tag, ((ScalarNode) node).getValue(), line, column);
    } else if (node instanceof SequenceNode) {
      List<YamlNode> elements = new ArrayList<>();
      unfilledSequences.push(Map.entry((SequenceNode) node, elements));
      made = YamlNode.sequence(tag, elements, line, column);
    } else {
      List<Map.Entry<YamlNode, YamlNode>> entries = new ArrayList<>();
      unfilledMappings.push(Map.entry((MappingNode) node, entries));
      made = YamlNode.mapping(tag, entries, line, column);
    }
    converted.put(node, made);
    return made;
  }

  /** Converts the children of the queued collections, which may queue more. */
  private void fillCollections() {
    while (!unfilledSequences.isEmpty() || !unfilledMappings.isEmpty()) {
      if (!unfilledSequences.isEmpty()) {
        Map.Entry<SequenceNode, List<YamlNode>> sequence = unfilledSequences.pop();
        for (Node element : sequence.getKey().getValue()) {
          sequence.getValue().add(node(element));
        }
      } else {
        Map.Entry<MappingNode, List<Map.Entry<YamlNode, YamlNode>>> mapping =
            unfilledMappings.pop();
        for (NodeTuple tuple : mapping.getKey().getValue()) {
          mapping.getValue().add(Map.entry(node(tuple.getKeyNode()), node(tuple.getValueNode())));
        }
      }
    }
  }

  /**
   * The engine's default (JSON) schema, except that a plain scalar written as {@code ${VAR}} stays
   * text: the engine would tag it {@code !ENV_VARIABLE}, which {@link YamlReader#rejectTypeTags}
   * refuses. Substitution is done by {@link EnvironmentSubstitution} on the text.
   * {@link BlockYamlComposer#tagOf} resolves plain scalars the same way.
   */
  private static final class EnvReferencesAsTextSchema extends JsonSchema {
    private final ScalarResolver resolver = new ScalarResolver() {
      private final ScalarResolver json = new JsonSchema().getScalarResolver();

      @Override
      public Tag resolve(String value, Boolean implicit) {
        Tag tag = json.resolve(value, implicit);
        return Tag.ENV_TAG.equals(tag) ? Tag.STR : tag;
      }
    };

    @Override
    public ScalarResolver getScalarResolver() {
      return resolver;
    }
  }
}

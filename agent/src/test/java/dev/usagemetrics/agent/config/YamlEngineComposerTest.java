package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The engine's trees converted to {@link YamlNode}s where {@link BlockYamlComposerTest} cannot
 * look, since the hand-written composer declines them: flow mappings, tags as written on every
 * kind of node, and aliases, which make the engine's tree a graph.
 */
class YamlEngineComposerTest {

  @Test
  void keepsEveryNodesKindTagValueAndStart() throws ConfigException {
    YamlNode root = compose("!foo {a: !!python/object x, b: !bar [1, 'c']}");
    assertEquals(
        String.join(
            "\n",
            "mapping !foo at 0:0",
            "  key: scalar tag:yaml.org,2002:str 'a' at 0:6",
            "  value: scalar tag:yaml.org,2002:python/object 'x' at 0:9",
            "  key: scalar tag:yaml.org,2002:str 'b' at 0:28",
            "  value: sequence !bar at 0:31",
            "  value:   - scalar tag:yaml.org,2002:int '1' at 0:37",
            "  value:   - scalar tag:yaml.org,2002:str 'c' at 0:40",
            ""),
        BlockYamlComposerTest.describe(root));
  }

  @Test
  void convertsAnAliasedNodeOnce() throws ConfigException {
    YamlNode root = compose("a: &x {k: v}\nb: *x\n");
    assertSame(root.entries().get(0).getValue(), root.entries().get(1).getValue());
  }

  @Test
  void convertsACollectionThatHoldsItself() throws ConfigException {
    YamlNode sequence = compose("a: &x [1, *x]\n").entries().get(0).getValue();
    assertEquals(2, sequence.elements().size());
    assertSame(sequence, sequence.elements().get(1));
  }

  /** A section that holds itself is read as far as the reader descends, and reported. */
  @Test
  void aConfigurationThatHoldsItselfIsReported() {
    ConfigException e = assertThrows(
        ConfigException.class, () -> ConfigFixtures.parse(Map.of(), "persist: &p {targets: *p}"));
    assertEquals(
        List.of("test.yaml:1:10: 'persist.targets' must be a list, got a mapping"),
        e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
  }

  /** An aliased tag is one node: it is reported once. */
  @Test
  void anAliasedTypeTagIsReportedOnce() {
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> ConfigFixtures.parse(Map.of(), "log:", "  file: &t !foo x", "  level: *t"));
    assertEquals(
        List.of("test.yaml:2:9: type tags are not allowed (found '!foo'); remove the tag"),
        e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList()));
  }

  private static YamlNode compose(String yaml) throws ConfigException {
    return YamlEngineComposer.compose(yaml, ConfigFixtures.SOURCE);
  }
}

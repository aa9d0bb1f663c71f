package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSubstitutionTest {

  private static String substitute(Map<String, String> env, String text) {
    return new EnvironmentSubstitution(env).substitute(text);
  }

  @Test
  void replacesASetVariable() {
    assertEquals("s3cr3t", substitute(Map.of("A", "s3cr3t"), "${A}"));
  }

  @Test
  void defaultIsUsedWhenVariableIsUnset() {
    assertEquals("d", substitute(Map.of(), "${A:-d}"));
  }

  @Test
  void defaultIsUsedWhenVariableIsEmpty() {
    assertEquals("d", substitute(Map.of("A", ""), "${A:-d}"));
  }

  @Test
  void setVariableWinsOverDefault() {
    assertEquals("value", substitute(Map.of("A", "value"), "${A:-d}"));
  }

  @Test
  void emptyDefaultIsAllowed() {
    assertEquals("x-", substitute(Map.of(), "x-${A:-}"));
  }

  @Test
  void replacesSeveralReferencesInOneString() {
    Map<String, String> env = Map.of("USER", "alice", "HOST", "db.local");
    assertEquals("alice@db.local:5432/x", substitute(env, "${USER}@${HOST}:${PORT:-5432}/x"));
  }

  @Test
  void textWithoutReferencesIsUnchanged() {
    assertEquals("plain text, 100% {literal}", substitute(Map.of(), "plain text, 100% {literal}"));
  }

  @Test
  void dollarSignsThatAreNotReferencesAreUntouched() {
    assertEquals(
        "$ $A com.acme.Outer$Inner ${ $}",
        substitute(Map.of("A", "no"), "$ $A com.acme.Outer$Inner ${ $}"));
  }

  @Test
  void valuesContainingDollarsOrBackslashesAreInsertedLiterally() {
    assertEquals("p$1\\w${B}", substitute(Map.of("A", "p$1\\w${B}", "B", "no"), "${A}"));
  }

  @Test
  void unsetVariableWithoutDefaultThrowsNamingIt() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> substitute(Map.of("OTHER", "x"), "Bearer ${API_TOKEN}"));
    assertEquals(
        "environment variable 'API_TOKEN' is not set (set it, or give a default: ${API_TOKEN:-value})",
        e.getMessage());
  }

  @Test
  void emptyVariableWithoutDefaultIsEmpty() {
    assertEquals("[]", substitute(Map.of("A", ""), "[${A}]"));
  }

  @Test
  void variablesAreLookedUpByExactName() {
    Map<String, String> env = new HashMap<>();
    env.put("otel.token", "dotted");
    assertEquals("dotted", substitute(env, "${otel.token}"));
  }
}

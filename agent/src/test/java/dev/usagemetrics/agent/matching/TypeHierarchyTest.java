package dev.usagemetrics.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one walk over super types that type filters, error rules and the target report share. */
class TypeHierarchyTest {

  interface Root {}

  interface Left extends Root {}

  interface Right extends Root {}

  interface Other {}

  static class Parent implements Other {}

  static class Child extends Parent implements Left, Right {}

  @Test
  void aLoadedClassComesFirstThenItsSuperTypesNearestFirst() {
    assertEquals(
        List.of(
            Child.class,
            Parent.class,
            Left.class,
            Right.class,
            Object.class,
            Other.class,
            Root.class),
        TypeHierarchy.of(Child.class));
  }

  @Test
  void anInterfaceReachedByTwoPathsIsListedOnce() {
    List<Class<?>> hierarchy = TypeHierarchy.of(Child.class);
    assertEquals(1, hierarchy.stream().filter(Root.class::equals).count(), hierarchy::toString);
  }

  @Test
  void aTypeWithoutSuperTypesIsItsOwnHierarchy() {
    assertEquals(
        List.of(Root.class), TypeHierarchy.of(Root.class), "an interface has no superclass");
    assertEquals(List.of(Object.class), TypeHierarchy.of(Object.class));
  }

  @Test
  void anyDescriptionOfTypesWalksTheSameWay() {
    Map<String, String> superclass = Map.of("Child", "Parent", "Parent", "Object");
    Map<String, List<String>> interfaces = Map.of(
        "Child", List.of("Left", "Right"), "Left", List.of("Root"), "Right", List.of("Root"));
    assertEquals(
        List.of("Child", "Parent", "Left", "Right", "Object", "Root"),
        TypeHierarchy.of(
            "Child", superclass::get, name -> interfaces.getOrDefault(name, List.of())));
  }

  @Test
  void aClassFileNamingItselfAsItsOwnSuperTypeCannotHangTheWalk() {
    assertEquals(
        List.of("Self"), TypeHierarchy.of("Self", name -> "Self", name -> List.of("Self")));
    assertEquals(
        List.of("A", "B"),
        TypeHierarchy.of("A", name -> name.equals("A") ? "B" : "A", name -> List.of()));
  }
}

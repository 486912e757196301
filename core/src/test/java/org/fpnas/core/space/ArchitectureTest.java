package org.fpnas.core.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fpnas.core.Examples;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  private final SearchSpace tiny = Examples.tiny();

  @Test
  void stringFormRoundTrips() {
    Architecture a = Architecture.of(new int[][] {{0, 1}, {2}});
    assertEquals("0.1|2", a.toString());
    assertEquals(a, Architecture.parse("0.1|2"));
    assertEquals(a.hashCode(), Architecture.parse("0.1|2").hashCode());
    Architecture wide = Architecture.of(new int[][] {{10, 0, 123}, {1}});
    assertEquals(wide, Architecture.parse(wide.toString()));
  }

  @Test
  void parseRejectsMalformedText() {
    for (String bad : List.of("", "0..1|2", "0.1|", "a.b", "0.-1|2", "0.1|2|", " | ")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Architecture.parse(bad), bad);
      assertTrue(
          e.getMessage().contains("architecture") || e.getMessage().contains("empty"),
          e.getMessage());
    }
  }

  @Test
  void isImmutable() {
    int[][] choices = {{0, 1}, {2}};
    Architecture a = Architecture.of(choices);
    choices[0][0] = 2;
    assertEquals(0, a.choice(0, 0));
    a.choices()[0][0] = 2;
    assertEquals(0, a.choice(0, 0));
    assertArrayEquals(new int[] {0, 1}, a.choices()[0]);
    assertEquals(2, a.layerCount());
  }

  @Test
  void validationNamesLayerVariableAndValue() {
    Architecture.of(new int[][] {{2, 1}, {2}}).validate(tiny);
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> Architecture.of(new int[][] {{3, 1}, {0}}).validate(tiny));
    assertTrue(
        range.getMessage().contains("choice 3 of variable 'kernel' of layer 'a'"),
        range.getMessage());
    assertTrue(range.getMessage().contains("3 choices"), range.getMessage());
    IllegalArgumentException layers =
        assertThrows(
            IllegalArgumentException.class,
            () -> Architecture.of(new int[][] {{0, 1}}).validate(tiny));
    assertTrue(
        layers.getMessage().contains("1 layers") && layers.getMessage().contains("has 2"),
        layers.getMessage());
    IllegalArgumentException variables =
        assertThrows(
            IllegalArgumentException.class,
            () -> Architecture.of(new int[][] {{0}, {0}}).validate(tiny));
    assertTrue(variables.getMessage().contains("1 variables in layer 'a'"), variables.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Architecture.of(new int[][] {{-1}}));
    assertThrows(IllegalArgumentException.class, () -> Architecture.of(new int[0][]));
  }

  @Test
  void describesChoicesByName() {
    Architecture a = Architecture.of(new int[][] {{1, 0}, {2}});
    Map<String, Map<String, String>> described = a.describe(tiny);
    assertEquals(List.of("a", "b"), List.copyOf(described.keySet()));
    assertEquals(List.of("kernel", "se"), List.copyOf(described.get("a").keySet()));
    assertEquals("5", described.get("a").get("kernel"));
    assertEquals("swish", described.get("b").get("act"));
    assertEquals(
        "{\"a\":{\"kernel\":\"5\",\"se\":\"off\"},\"b\":{\"act\":\"swish\"}}", a.toJson(tiny));
  }

  @Test
  void equalityIsByChoices() {
    assertEquals(
        Architecture.of(new int[][] {{1, 0}, {2}}), Architecture.of(new int[][] {{1, 0}, {2}}));
    assertNotEquals(
        Architecture.of(new int[][] {{1, 0}, {2}}), Architecture.of(new int[][] {{1, 0}, {1}}));
    assertNotEquals(
        Architecture.of(new int[][] {{1}, {0, 2}}), Architecture.of(new int[][] {{1, 0}, {2}}));
  }
}

package org.fpnas.core.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** One test per kind of bad space file: each names the file, the line and the problem. */
class SpaceParserErrorsTest {
  private static SpaceFormatException reject(String text, String source) {
    return assertThrows(SpaceFormatException.class, () -> SearchSpace.parse(text, source));
  }

  private static void assertProblem(
      SpaceFormatException e, String source, int line, String... fragments) {
    assertEquals(source, e.source(), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith(source + ":" + line + ": "), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
    }
  }

  @Test
  void unknownTopLevelKey() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layerz: []
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 2, "unknown key 'layerz'", "the space", "allowed: name");
  }

  @Test
  void unknownLayerKey() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            strid: 2
            variables: {k: [3]}
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 4, "unknown key 'strid'", "layer 'b1'");
  }

  @Test
  void unknownNetworkKey() {
    SpaceFormatException e =
        reject(
            """
        name: s
        network:
          input: {height: 28, width: 28, channels: 1, depth: 3}
          stem: {channels: 8, stride: 1}
          classes: 10
        layers:
          - name: b1
            variables: {k: [3]}
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 3, "unknown key 'depth'", "'input' of 'network'");
  }

  @Test
  void emptyChoiceList() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables:
              kernel: []
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 5, "variable 'kernel' of layer 'b1' has no choices");
  }

  @Test
  void duplicateChoice() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables:
              kernel:
                - 3
                - 5
                - 3
        """,
            "space.yaml");
    assertEquals(
        "space.yaml:8: duplicate choice '3' in variable 'kernel' of layer 'b1'", e.getMessage());
  }

  @Test
  void duplicateLayerName() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables: {k: [3]}
          - name: b1
            variables: {k: [5]}
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 5, "duplicate layer name 'b1'", "first at line 3");
  }

  @Test
  void duplicateVariableName() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables:
              kernel: [3, 5]
              kernel: [7]
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 6, "duplicate variable 'kernel' in layer 'b1'");
  }

  @Test
  void layerWithoutVariables() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables: {}
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 4, "layer 'b1' has no variables");
  }

  @Test
  void noLayers() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers: []
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 2, "the space has no layers");
  }

  @Test
  void missingLayers() {
    SpaceFormatException e = reject("name: s\n", "space.yaml");
    assertProblem(e, "space.yaml", 1, "missing key 'layers' in the space");
  }

  @Test
  void nonPositiveInputSize() {
    SpaceFormatException e =
        reject(network("{height: 0, width: 28, channels: 1}", "1", "10"), "space.yaml");
    assertProblem(e, "space.yaml", 3, "input height must be positive, got 0");
  }

  @Test
  void nonPositiveInputChannels() {
    SpaceFormatException e =
        reject(network("{height: 28, width: 28, channels: -3}", "1", "10"), "space.yaml");
    assertProblem(e, "space.yaml", 3, "input channels must be positive, got -3");
  }

  @Test
  void tooFewClasses() {
    SpaceFormatException e =
        reject(network("{height: 28, width: 28, channels: 1}", "1", "1"), "space.yaml");
    assertProblem(e, "space.yaml", 5, "classes must be 2 or more, got 1");
  }

  @Test
  void stemStrideNotOneOrTwo() {
    SpaceFormatException e =
        reject(network("{height: 28, width: 28, channels: 1}", "3", "10"), "space.yaml");
    assertProblem(e, "space.yaml", 4, "stem stride must be 1 or 2, got 3");
  }

  @Test
  void layerStrideNotOneOrTwo() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            stride: 4
            variables: {k: [3]}
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 4, "stride of layer 'b1' must be 1 or 2, got 4");
  }

  @Test
  void inputTooSmallForTheTotalStride() {
    SpaceFormatException e =
        reject(
            """
        name: s
        network:
          input: {height: 4, width: 4, channels: 1}
          stem: {channels: 8, stride: 2}
          classes: 10
        layers:
          - {name: b1, stride: 2, variables: {k: [3]}}
          - {name: b2, stride: 2, variables: {k: [3]}}
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 2, "input 4x4 is too small for the total stride 8");
  }

  @Test
  void notANumber() {
    SpaceFormatException e =
        reject(network("{height: big, width: 28, channels: 1}", "1", "10"), "space.yaml");
    assertProblem(
        e, "space.yaml", 3, "'height' of 'input' of 'network' must be a whole number", "'big'");
  }

  @Test
  void choicesThatAreNotAList() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables:
              kernel: 3
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 5, "variable 'kernel' of layer 'b1' must be a list of choices");
  }

  @Test
  void nullOrNestedChoice() {
    SpaceFormatException nullChoice =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables:
              kernel: [3, null]
        """,
            "space.yaml");
    assertProblem(nullChoice, "space.yaml", 5, "null choice in variable 'kernel'");
    SpaceFormatException nested =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables:
              kernel: [3, [5]]
        """,
            "space.yaml");
    assertProblem(
        nested,
        "space.yaml",
        5,
        "choice #2 of variable 'kernel' of layer 'b1'",
        "must be a single value");
  }

  @Test
  void badNames() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b.1
            variables: {k: [3]}
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 3, "layer name 'b.1' may only hold");
  }

  @Test
  void malformedYaml() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers:
          - name: b1
            variables: {k: [3, 5}
        """,
            "space.yaml");
    assertTrue(e.getMessage().startsWith("space.yaml:"), e.getMessage());
    assertTrue(e.getMessage().contains("malformed YAML"), e.getMessage());
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void malformedJson() {
    SpaceFormatException e =
        reject(
            """
        {"name": "s",
         "layers": [
           {"name": "b1" "variables": {"k": [3]}}
         ]}
        """,
            "space.json");
    assertProblem(e, "space.json", 3, "malformed JSON");
  }

  @Test
  void malformedJsonWithoutTheJsonExtension() {
    SpaceFormatException e = reject("{\"name\": \"s\",\n \"layers\": [,]}", "space.txt");
    assertProblem(e, "space.txt", 2, "malformed JSON");
  }

  @Test
  void emptyFile() {
    SpaceFormatException e = reject("# nothing here\n", "space.yaml");
    assertEquals("space.yaml: the file is empty", e.getMessage());
    assertEquals(0, e.line());
  }

  @Test
  void moreThanOneDocument() {
    SpaceFormatException e =
        reject(
            """
        name: s
        layers: [{name: a, variables: {k: [3]}}]
        ---
        name: t
        """,
            "space.yaml");
    assertProblem(e, "space.yaml", 4, "only one document");
  }

  @Test
  void topLevelNotAMapping() {
    SpaceFormatException e = reject("- a\n- b\n", "space.yaml");
    assertProblem(e, "space.yaml", 1, "the space must be a mapping");
  }

  private static String network(String input, String stemStride, String classes) {
    return "name: s\n"
        + "network:\n"
        + "  input: "
        + input
        + "\n"
        + "  stem: {channels: 8, stride: "
        + stemStride
        + "}\n"
        + "  classes: "
        + classes
        + "\n"
        + "layers:\n"
        + "  - name: b1\n"
        + "    variables: {k: [3]}\n";
  }
}

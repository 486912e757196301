package org.fpnas.core.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fpnas.core.Examples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchSpaceTest {
  @Test
  void readsTheExampleSpace() {
    SearchSpace space = Examples.smallSpace();
    assertEquals("small-space", space.name());
    assertEquals(6, space.layerCount());
    assertEquals(
        List.of("kernel", "expansion", "act"),
        space.layer(0).variables().stream().map(Variable::name).toList());
    assertEquals(List.of("3", "5", "7"), space.layer(0).variables().get(0).choices());
    assertEquals(191_102_976L, space.architectureCount());
    Network network = space.network().orElseThrow();
    assertEquals(new Network(28, 28, 1, 10, 16, 1, 3, 128), network);
    assertEquals(2, space.layer(1).stride());
    assertEquals(Map.of("stride", 2, "stage", 2, "channels", 24), space.layer(1).attributes());
  }

  @Test
  void yamlAndJsonRoundTrip() {
    SearchSpace space = Examples.smallSpace();
    assertEquals(space, SearchSpace.parse(space.toYaml(), "again.yaml"));
    assertEquals(space, SearchSpace.parse(space.toJson(), "again.json"));
    assertEquals(space.toJson(), SearchSpace.parse(space.toJson(), "x.json").toJson());
    assertEquals(space.hashCode(), SearchSpace.parse(space.toJson(), "x.json").hashCode());
  }

  @Test
  void choicesKeepTheirTextThroughBothFormats() {
    SearchSpace space =
        SearchSpace.of(
            "odd 'name'",
            List.of(
                new Layer(
                    "l-1",
                    List.of(
                        Variable.of(
                            "v", "3", "1.50", "03", "-1", "true", "null", "a b", "it's", "x: y",
                            "#c", "1e3", "yes", "~", "ünï")))));
    SearchSpace fromYaml = SearchSpace.parse(space.toYaml(), "odd.yaml");
    SearchSpace fromJson = SearchSpace.parse(space.toJson(), "odd.json");
    assertEquals(space, fromYaml);
    assertEquals(space, fromJson);
  }

  @Test
  void spacesWithoutTheNetworkSectionAreFine() {
    SearchSpace space =
        SearchSpace.parse(
            """
        name: toy
        layers:
          - name: a
            variables: {x: [1, 2]}
        """,
            "toy.yaml");
    assertTrue(space.network().isEmpty());
    assertEquals(1, space.layer(0).stride());
    assertTrue(space.layer(0).attribute("stage").isEmpty());
    assertEquals(2, space.architectureCount());
    assertEquals(space, SearchSpace.parse(space.toYaml(), "toy.yaml"));
  }

  @Test
  void jsonInputWorks() {
    SearchSpace space =
        SearchSpace.parse(
            "{\"name\":\"j\",\"layers\":[{\"name\":\"a\",\"variables\":{\"k\":[3,5]}}]}", "j.json");
    assertEquals(List.of("3", "5"), space.layer(0).variables().get(0).choices());
  }

  @Test
  void yamlFlowStyleStartingWithABraceIsReadAsYaml() {
    SearchSpace space =
        SearchSpace.parse("{name: f, layers: [{name: a, variables: {k: [3]}}]}", "flow.yaml");
    assertEquals("f", space.name());
  }

  @Test
  void architectureCountSaturates() {
    List<Layer> layers = new java.util.ArrayList<>();
    for (int l = 0; l < 30; l++) {
      layers.add(
          new Layer(
              "l" + l,
              List.of(Variable.of("v", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"))));
    }
    assertEquals(Long.MAX_VALUE, SearchSpace.of("big", layers).architectureCount());
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("space.yaml");
    Files.writeString(file, Examples.resource("small-space.yaml"));
    assertEquals(Examples.smallSpace(), SearchSpace.load(file));
    SpaceFormatException e =
        assertThrows(
            SpaceFormatException.class,
            () -> {
              Files.writeString(file, "name: x\nlayers: []\n");
              SearchSpace.load(file);
            });
    assertEquals(file.toString(), e.source());
  }

  @Test
  void constructorsValidateToo() {
    assertThrows(IllegalArgumentException.class, () -> Variable.of("k"));
    assertThrows(IllegalArgumentException.class, () -> Variable.of("k", "3", "3"));
    assertThrows(IllegalArgumentException.class, () -> Variable.of("a.b", "3"));
    assertThrows(IllegalArgumentException.class, () -> new Layer("a", List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Layer("a", List.of(Variable.of("k", "3")), Map.of("stride", 3)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Layer("a", List.of(Variable.of("k", "3")), Map.of("colour", 3)));
    assertThrows(IllegalArgumentException.class, () -> SearchSpace.of("s", List.of()));
    Layer a = new Layer("a", List.of(Variable.of("k", "3")));
    assertThrows(IllegalArgumentException.class, () -> SearchSpace.of("s", List.of(a, a)));
    assertThrows(IllegalArgumentException.class, () -> new Network(0, 28, 1, 10, 16, 1, 3, 0));
    assertFalse(Examples.tiny().network().isPresent());
  }

  @Test
  void uniformBuildsIdenticalLayersWithNumberedNames() {
    SearchSpace space = SearchSpace.uniform("synthetic", 3, 2, 4);
    assertEquals(3, space.layerCount());
    assertEquals(List.of("l0", "l1", "l2"), space.layers().stream().map(Layer::name).toList());
    assertEquals("v1", space.layer(2).variables().get(1).name());
    assertEquals(List.of("c0", "c1", "c2", "c3"), space.layer(2).variables().get(1).choices());
    assertEquals(512, space.architectureCount());
    assertThrows(IllegalArgumentException.class, () -> SearchSpace.uniform("empty", 0, 2));
    assertThrows(IllegalArgumentException.class, () -> SearchSpace.uniform("no variables", 2));
  }
}

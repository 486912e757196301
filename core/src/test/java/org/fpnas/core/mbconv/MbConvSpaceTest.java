package org.fpnas.core.mbconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fpnas.core.Examples;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.Network;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;
import org.junit.jupiter.api.Test;

class MbConvSpaceTest {
  private static final Network NET = new Network(8, 8, 1, 10, 4, 1, 3, 0);

  static SearchSpace fmnist() {
    return SearchSpace.parse(Examples.resource("fbnet-fmnist.yaml"), "fbnet-fmnist.yaml");
  }

  static SearchSpace cifar() {
    return SearchSpace.parse(Examples.resource("fbnet-cifar.yaml"), "fbnet-cifar.yaml");
  }

  @Test
  void aHandCountedNetwork() {
    // stem 3x3 1->4 at 8x8; block: expand 4->8 (1x1), depthwise 3x3 stride 2 at 4x4, SE 8->8->8,
    // project 8->6; classifier 6->10.
    SearchSpace space =
        SearchSpace.of(
            "hand",
            List.of(
                new Layer(
                    "b",
                    List.of(
                        Variable.of("kernel", "3"),
                        Variable.of("expansion", "2"),
                        Variable.of("se", "on")),
                    Map.of("stride", 2, "channels", 6))),
            NET);
    NetworkCost cost = new FlopsCounter(space).count(MbConvSpace.only(space));
    long stem = 8 * 8 * 9 * 4;
    long expand = 8 * 8 * 4 * 8;
    long depthwise = 4 * 4 * 9 * 8;
    long se = 8 * 8 + 8 * 8;
    long project = 4 * 4 * 8 * 6;
    long fc = 6 * 10;
    assertEquals(stem + expand + depthwise + se + project + fc, cost.multiplyAdds());
    long params = 9 * 4 + 8 + 4 * 8 + 16 + 9 * 8 + 16 + (8 * 8 + 8) * 2 + 8 * 6 + 12 + 6 * 10 + 10;
    assertEquals(params, cost.parameters());
  }

  @Test
  void shippedSpacesReadAndEveryChoiceCounts() {
    for (SearchSpace space : List.of(fmnist(), cifar())) {
      MbConvSpace mb = MbConvSpace.of(space);
      FlopsCounter counter = new FlopsCounter(space);
      for (int l = 0; l < space.layerCount(); l++) {
        for (int m = 0; m < space.layer(l).variables().size(); m++) {
          for (int c = 0; c < space.choiceCount(l, m); c++) {
            int[][] choices = zeros(space);
            choices[l][m] = c;
            NetworkCost cost = counter.count(Architecture.of(choices));
            assertTrue(cost.multiplyAdds() > 0 && cost.parameters() > 0);
          }
        }
      }
      assertEquals(space.layerCount(), mb.resolve(Architecture.of(zeros(space))).blocks().size());
    }
  }

  @Test
  void theFashionMnistSpaceIsSmall() {
    SearchSpace space = fmnist();
    FlopsCounter counter = new FlopsCounter(space);
    long min = counter.multiplyAdds(extreme(space, false));
    long max = counter.multiplyAdds(extreme(space, true));
    System.out.println(
        "fbnet-fmnist multiply-adds "
            + min
            + " .. "
            + max
            + ", parameters "
            + counter.count(extreme(space, false)).parameters()
            + " .. "
            + counter.count(extreme(space, true)).parameters());
    assertTrue(min > 100_000 && min < max && max < 3_500_000, min + " .. " + max);
    assertEquals(72L * 72 * 72 * 48 * 48 * 48, space.architectureCount());
  }

  @Test
  void aSkippedBlockIsAnIdentityThatCostsNothing() {
    SearchSpace space = fmnist();
    int l = space.indexOf("s2b2");
    assertTrue(l > 0);
    int skip = space.layer(l).indexOf("skip");
    int[][] choices = zeros(space);
    Architecture kept = Architecture.of(choices);
    choices[l][skip] = 1;
    Architecture skipped = Architecture.of(choices);
    MbConvNetwork net = MbConvSpace.of(space).resolve(skipped);
    MbConvBlock block = net.blocks().get(l);
    assertTrue(block.skipped());
    assertEquals(block.inputChannels(), block.outputChannels());
    assertFalse(block.residual());
    FlopsCounter counter = new FlopsCounter(space);
    MbConvNetwork keptNet = MbConvSpace.of(space).resolve(kept);
    MbConvBlock keptBlock = keptNet.blocks().get(l);
    long blockCost =
        (long) keptBlock.inputHeight()
            * keptBlock.inputWidth()
            * (9L * keptBlock.expandedChannels()
                + (long) keptBlock.expandedChannels() * keptBlock.outputChannels());
    // Choice 0 everywhere: expansion 1 (no 1x1 expansion), kernel 3, SE off, so the kept block
    // costs its depthwise and projection convolutions.
    assertFalse(keptBlock.expands());
    assertFalse(keptBlock.squeezeExcite());
    assertEquals(counter.multiplyAdds(kept) - blockCost, counter.multiplyAdds(skipped));
  }

  @Test
  void boundsCoverTheWidestChoices() {
    MbConvSpace mb = MbConvSpace.of(fmnist());
    MbConvSpace.LayerBounds first = mb.bounds(0); // s1b1: stem's 8 channels in, 12/16/24 out
    assertEquals(8, first.maxInputChannels());
    assertEquals(24, first.maxOutputChannels());
    assertEquals(5, first.maxKernel());
    assertEquals(48, first.maxExpandedChannels());
    assertEquals(MbConvSpace.squeezeChannels(48), first.maxSqueezeChannels());
    MbConvSpace.LayerBounds second = mb.bounds(1); // s1b2 keeps the width: 12, 16 or 24
    assertEquals(24, second.maxInputChannels());
    assertEquals(24, second.maxOutputChannels());
    assertEquals(144, second.maxExpandedChannels());
    assertEquals(64, mb.maxLastChannels());
  }

  @Test
  void theFixedSpaceHoldsOneArchitectureWithTheSameCost() {
    SearchSpace space = fmnist();
    int[][] choices = zeros(space);
    choices[0][1] = 2;
    choices[3][2] = 1;
    Architecture a = Architecture.of(choices);
    SearchSpace fixed = MbConvSpace.fixed(space, a);
    assertEquals(1, fixed.architectureCount());
    assertEquals(
        new FlopsCounter(space).count(a), new FlopsCounter(fixed).count(MbConvSpace.only(fixed)));
  }

  @Test
  void badSpacesAreRefusedWithTheLayerAndTheReason() {
    assertEquals(
        "space 'x' has no network section; an MBConv space needs input, stem and classes",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    MbConvSpace.of(
                        SearchSpace.of(
                            "x", List.of(new Layer("b", List.of(Variable.of("kernel", "3")))))))
            .getMessage());
    assertMessage(
        "layer 'b' has variable 'width', which an MBConv space does not know",
        layer(
            Map.of(),
            Variable.of("kernel", "3"),
            Variable.of("expansion", "1"),
            Variable.of("width", "8")));
    assertMessage(
        "choice '4' of variable 'kernel' of layer 'b' must be an odd whole number",
        layer(Map.of(), Variable.of("kernel", "3", "4"), Variable.of("expansion", "1")));
    assertMessage(
        "choice 'maybe' of variable 'se' of layer 'b' must be off or on",
        layer(
            Map.of(),
            Variable.of("kernel", "3"),
            Variable.of("expansion", "1"),
            Variable.of("se", "maybe")));
    assertMessage(
        "choice 'gelu' of variable 'act' of layer 'b' must be relu or hswish",
        layer(
            Map.of(),
            Variable.of("kernel", "3"),
            Variable.of("expansion", "1"),
            Variable.of("act", "gelu")));
    assertMessage(
        "layer 'b' needs a expansion variable", layer(Map.of(), Variable.of("kernel", "3")));
    assertMessage(
        "layer 'b' has a skip variable but stride 2",
        layer(
            Map.of("stride", 2),
            Variable.of("kernel", "3"),
            Variable.of("expansion", "1"),
            Variable.of("skip", "off", "on")));
    assertMessage(
        "layer 'b' has a skip variable but its output width [8] can differ from its input width [4]",
        layer(
            Map.of("channels", 8),
            Variable.of("kernel", "3"),
            Variable.of("expansion", "1"),
            Variable.of("skip", "off", "on")));
    assertMessage(
        "layer 'b' has a skip variable but its output width [4, 8]",
        layer(
            Map.of(),
            Variable.of("kernel", "3"),
            Variable.of("expansion", "1"),
            Variable.of("channels", "4", "8"),
            Variable.of("skip", "off", "on")));
    // A fixed width equal to the only width that can arrive is fine.
    MbConvSpace.of(
        layer(
            Map.of("channels", 4),
            Variable.of("kernel", "3"),
            Variable.of("expansion", "1"),
            Variable.of("skip", "off", "on")));
  }

  private static SearchSpace layer(Map<String, Integer> attributes, Variable... variables) {
    return SearchSpace.of("s", List.of(new Layer("b", List.of(variables), attributes)), NET);
  }

  private static void assertMessage(String start, SearchSpace space) {
    String message =
        assertThrows(IllegalArgumentException.class, () -> MbConvSpace.of(space)).getMessage();
    assertTrue(message.startsWith(start), message);
  }

  static int[][] zeros(SearchSpace space) {
    int[][] choices = new int[space.layerCount()][];
    for (int l = 0; l < choices.length; l++) {
      choices[l] = new int[space.layer(l).variables().size()];
    }
    return choices;
  }

  /**
   * The cheapest (all first choices, skips on) or the dearest (last choices, skips off)
   * architecture.
   */
  static Architecture extreme(SearchSpace space, boolean dearest) {
    int[][] choices = zeros(space);
    for (int l = 0; l < choices.length; l++) {
      for (int m = 0; m < choices[l].length; m++) {
        Variable v = space.layer(l).variables().get(m);
        boolean skip = v.name().equals("skip");
        int last = v.size() - 1;
        choices[l][m] = skip ? (dearest ? 0 : last) : (dearest ? last : 0);
      }
    }
    return Architecture.of(choices);
  }
}

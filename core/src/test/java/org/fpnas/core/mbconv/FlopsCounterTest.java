package org.fpnas.core.mbconv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

class FlopsCounterTest {

  static SearchSpace testSpace(String name) {
    try (InputStream in = FlopsCounterTest.class.getResourceAsStream(name)) {
      return SearchSpace.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void mobileNetV2MatchesThePublishedFigures() {
    SearchSpace v2 = testSpace("mobilenet-v2.yaml");
    NetworkCost cost = new FlopsCounter(v2).count(MbConvSpace.only(v2));
    System.out.println("MobileNetV2 " + cost);
    // Sandler et al. 2018: 300M multiply-adds.
    assertEquals(300e6, cost.multiplyAdds(), 0.02 * 300e6);
    // torchvision's mobilenet_v2 has exactly 3,504,872 parameters (the paper rounds to 3.4M).
    assertEquals(3_504_872L, cost.parameters());
  }

  @Test
  void mobileNetV3LargeMatchesThePublishedFigures() {
    SearchSpace v3 = testSpace("mobilenet-v3-large.yaml");
    NetworkCost cost = new FlopsCounter(v3).classifierHidden(1280).count(MbConvSpace.only(v3));
    System.out.println("MobileNetV3-Large " + cost);
    // Howard et al. 2019: 217M (Table 3) to 219M multiply-adds.
    assertEquals(217e6, cost.multiplyAdds(), 0.02 * 217e6);
    // torchvision's mobilenet_v3_large has exactly 5,483,032 parameters (the paper: 5.4M).
    assertEquals(5_483_032L, cost.parameters());
  }
}

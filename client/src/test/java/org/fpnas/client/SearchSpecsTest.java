package org.fpnas.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fpnas.client.fold.SearchModels;
import org.junit.jupiter.api.Test;

/** What submit refuses before anything is published. */
class SearchSpecsTest {
  /** A space of {@code layers} layers, each of two variables of {@code choices} choices. */
  private static String space(int layers, int choices) {
    StringBuilder yaml = new StringBuilder("name: wide\nlayers:\n");
    for (int l = 0; l < layers; l++) {
      yaml.append("  - name: l").append(l).append("\n    variables:\n");
      for (String v : new String[] {"a", "b"}) {
        yaml.append("      ").append(v).append(": [");
        for (int c = 0; c < choices; c++) {
          yaml.append(c == 0 ? "" : ", ").append("c").append(c);
        }
        yaml.append("]\n");
      }
    }
    return yaml.toString();
  }

  private static SearchRequest request(String space, String... settings) {
    SearchRequest r = new SearchRequest("wide.yaml", space).evaluator("choice-distance");
    for (int i = 0; i < settings.length; i += 2) {
      r = r.set(settings[i], settings[i + 1]);
    }
    return r;
  }

  @Test
  void theEvaluatorsDataDirectoryIsRefusedInASearchWhateverTheKind() {
    for (String kind : new String[] {"djl", "choice-distance"}) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  SearchSpecs.validate(
                      request(space(2, 2))
                          .evaluator(kind)
                          .evaluatorSetting("dataDir", "/etc/fpnas-secret"),
                      0L));
      assertTrue(
          refused.getMessage().startsWith("evaluator setting dataDir is not a search's"),
          refused.getMessage());
      assertTrue(
          refused.getMessage().contains("the evaluator operator's to configure"),
          refused.getMessage());
    }
  }

  @Test
  void aDistributionTooLargeForAnEventIsRefusedAtSubmit() {
    // 40 layers of 2 x 30 choices: 2,400 factorized logits, 36,000 joint ones.
    String space = space(40, 30);
    IllegalArgumentException joint =
        assertThrows(
            IllegalArgumentException.class, () -> SearchSpecs.validate(request(space), 0L));
    assertTrue(joint.getMessage().contains("36000 joint logits"), joint.getMessage());
    assertTrue(
        joint.getMessage().contains(Integer.toString(SearchModels.MAX_LOGITS)), joint.getMessage());
    // Kept factorized, the same space fits.
    assertDoesNotThrow(
        () ->
            SearchSpecs.validate(
                request(space, "maxIterations", "10", "factorizedIterations", "20"), 0L));
  }

  @Test
  void aCostTargetNoArchitectureMeetsIsRefusedAtSubmit() throws java.io.IOException {
    String fbnet;
    try (java.io.InputStream in =
        SearchSpecsTest.class.getResourceAsStream("/org/fpnas/core/examples/fbnet-fmnist.yaml")) {
      fbnet = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SearchSpecs.validate(
                    request(fbnet, "costModel", "flops", "costTarget", "1000"), 0L));
    assertTrue(e.getMessage().contains("costTarget 1000"), e.getMessage());
    assertTrue(e.getMessage().contains("the cheapest"), e.getMessage());
    assertDoesNotThrow(
        () -> SearchSpecs.validate(request(fbnet, "costModel", "flops", "costTarget", "8e5"), 0L));
    // A space without a network section cannot compute its FLOPs.
    IllegalArgumentException noNetwork =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SearchSpecs.validate(
                    request(space(2, 3), "costModel", "flops", "costTarget", "1e6"), 0L));
    assertTrue(noNetwork.getMessage().contains("costModel flops"), noNetwork.getMessage());
  }
}

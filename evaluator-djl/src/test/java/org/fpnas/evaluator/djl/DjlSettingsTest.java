package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.fpnas.core.space.Network;
import org.junit.jupiter.api.Test;

class DjlSettingsTest {
  private static final Network FMNIST = new Network(28, 28, 1, 10, 8, 1, 3, 0);

  @Test
  void theDataDirectoryIsTheServicesAlone() {
    assertEquals(
        Path.of("/srv/data"),
        DjlSettings.of(Map.of(), Map.of("dataDir", " /srv/data "), FMNIST).dataDir());
    assertNull(DjlSettings.of(Map.of(), Map.of(), FMNIST).dataDir());
    assertFalse(DjlSettings.NAMES.contains("dataDir"));
    for (Map<String, String> service :
        java.util.List.of(Map.<String, String>of(), Map.of("dataDir", "/srv/data"))) {
      String refused =
          assertThrows(
                  IllegalArgumentException.class,
                  () -> DjlSettings.of(Map.of("dataDir", "/etc/ssh"), service, FMNIST))
              .getMessage();
      assertTrue(refused.startsWith("evaluator setting dataDir is not a search's"), refused);
      assertTrue(refused.contains("the evaluator operator's to configure"), refused);
      assertFalse(refused.contains("/etc/ssh") || refused.contains("/srv/data"), refused);
    }
    assertThrows(
        IllegalArgumentException.class, () -> DjlSettings.validate(Map.of("dataDir", "x")));
  }
}

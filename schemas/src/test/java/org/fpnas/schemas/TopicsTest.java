package org.fpnas.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void namesCarryTheTeam() {
    Topics t = Topics.forTeam("vision");
    assertEquals("fpnas.vision.samples", t.samples());
    assertEquals("fpnas.vision.evaluations", t.evaluations());
    assertEquals("fpnas.vision.distributions", t.distributions());
    assertEquals("fpnas.vision.searches", t.searches());
    assertEquals("fpnas.vision.dlq", t.dlq());
    assertEquals("fpnas.vision.", t.prefix());
  }

  @Test
  void patternsMatchEveryTeamAndNothingElse() {
    assertTrue(Topics.SAMPLES_PATTERN.matcher("fpnas.a-1.samples").matches());
    assertTrue(!Topics.SAMPLES_PATTERN.matcher("fpnas.a.b.samples").matches());
    assertTrue(!Topics.SAMPLES_PATTERN.matcher("fpnas.a.evaluations").matches());
    assertEquals("team7", Topics.teamOf("fpnas.team7.distributions"));
    assertNull(Topics.teamOf("_schemas"));
  }

  @Test
  void historyIsKeptAndSearchesAreCompacted() {
    var specs = Topics.forTeam("default").specs();
    var byName = new java.util.HashMap<String, TopicSpec>();
    specs.forEach(s -> byName.put(s.name(), s));
    assertEquals("compact", byName.get("fpnas.default.searches").configs().get("cleanup.policy"));
    assertEquals("-1", byName.get("fpnas.default.evaluations").configs().get("retention.ms"));
    assertEquals("-1", byName.get("fpnas.default.distributions").configs().get("retention.ms"));
    assertEquals("compact", byName.get("fpnas.default.admissions").configs().get("cleanup.policy"));
  }

  @Test
  void badTeamNamesAreRejectedWithTheRule() {
    for (String bad : new String[] {"", "A", "a.b", "a b", "x".repeat(41), "-a"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Topics.forTeam(bad));
      assertTrue(e.getMessage().contains("invalid team name"), e.getMessage());
    }
  }
}

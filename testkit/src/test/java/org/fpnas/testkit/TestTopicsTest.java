package org.fpnas.testkit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestTopicsTest {

  @Test
  void uniqueNamesDifferAndKeepTheirPrefix() {
    String a = TestTopics.unique("fpnas.default.samples");
    String b = TestTopics.unique("fpnas.default.samples");
    assertNotEquals(a, b);
    assertTrue(a.startsWith("fpnas.default.samples-"), a);
    assertTrue(a.matches("[a-zA-Z0-9._-]+"), a);
  }

  @Test
  void illegalPrefixesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TestTopics.unique("has space"));
    assertThrows(IllegalArgumentException.class, () -> TestTopics.unique(""));
  }
}

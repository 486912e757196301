package org.fpnas.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {
  @Test
  void theSplitIsFixedBySeedAndPartitionsTheImages() {
    ValidationSplit a = ValidationSplit.of(1000, 100, 7);
    assertArrayEquals(a.validation(), ValidationSplit.of(1000, 100, 7).validation());
    assertEquals(100, a.validation().length);
    assertEquals(900, a.training().length);
    int[] all =
        IntStream.concat(Arrays.stream(a.training()), Arrays.stream(a.validation()))
            .sorted()
            .toArray();
    assertArrayEquals(IntStream.range(0, 1000).toArray(), all);
    assertFalse(Arrays.equals(a.validation(), ValidationSplit.of(1000, 100, 8).validation()));
    assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(10, 10, 0));
  }
}

package org.fpnas.bench.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which rows of {@code evaluator-scaling} run ({@code fpnas bench --scaling-set NAME=VALUE}), so
 * that one question (e.g. what a prefetch does to the share group) can be measured without the
 * whole 12-minute grid.
 *
 * @param classic the classic group's sizes; without 1 there is no single evaluator to compare with,
 *     and the ideal and efficiency columns are left empty
 * @param share the share group's sizes
 * @param prefetch the share workers' prefetches to run, each a pool of its own, in this order
 * @param concurrent whether the 4 concurrent searches run
 */
public record ScalingSettings(
    List<Integer> classic, List<Integer> share, List<Integer> prefetch, boolean concurrent) {
  /** The names {@link #parse} takes. */
  public static final List<String> NAMES = List.of("classic", "share", "prefetch", "concurrent");

  public ScalingSettings {
    classic = List.copyOf(classic);
    share = List.copyOf(share);
    prefetch = List.copyOf(prefetch);
    if (!share.isEmpty() && prefetch.isEmpty()) {
      throw new IllegalArgumentException(
          "evaluator-scaling: prefetch needs at least one value when the share group runs");
    }
  }

  /** The full grid, or the quick one (no share group there: one share run costs minutes). */
  public static ScalingSettings defaults(boolean quick) {
    return quick
        ? new ScalingSettings(List.of(1, 16), List.of(), List.of(0), true)
        : new ScalingSettings(List.of(1, 2, 4, 8, 16), List.of(16, 32), List.of(0), true);
  }

  /**
   * The defaults with the given settings replaced: {@code classic}, {@code share} and {@code
   * prefetch} are comma-separated lists (empty: none), {@code concurrent} is true or false.
   *
   * @throws IllegalArgumentException naming an unknown setting (and listing the known ones) or a
   *     value that does not fit
   */
  public static ScalingSettings parse(Map<String, String> given, boolean quick) {
    ScalingSettings d = defaults(quick);
    for (String name : given.keySet()) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "evaluator-scaling: unknown setting '"
                + name
                + "' (known: "
                + String.join(", ", NAMES)
                + ")");
      }
    }
    return new ScalingSettings(
        list(given, "classic", d.classic(), 1),
        list(given, "share", d.share(), 1),
        list(given, "prefetch", d.prefetch(), 0),
        flag(given, "concurrent", d.concurrent()));
  }

  private static List<Integer> list(
      Map<String, String> given, String name, List<Integer> fallback, int min) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    List<Integer> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (part.isBlank() && text.isBlank()) {
        continue; // "classic=": none
      }
      int v;
      try {
        v = Integer.parseInt(part.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "evaluator-scaling: "
                + name
                + " must be whole numbers separated by commas, got '"
                + text
                + "'");
      }
      if (v < min) {
        throw new IllegalArgumentException(
            "evaluator-scaling: " + name + " values must be at least " + min + ", got " + v);
      }
      out.add(v);
    }
    return out;
  }

  private static boolean flag(Map<String, String> given, String name, boolean fallback) {
    String text = given.get(name);
    if (text == null) {
      return fallback;
    }
    return switch (text.strip()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "evaluator-scaling: " + name + " must be true or false, got '" + text + "'");
    };
  }
}

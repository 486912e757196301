package org.fpnas.schemas;

import java.util.ArrayList;
import java.util.List;

/**
 * The arrays of the wire records (an architecture's choices, logits, Adam moments) to and from Java
 * arrays, exactly: doubles pass bit for bit. The types of the search itself (in {@code core}) are
 * built from these arrays by their users, so that the contract does not depend on the core.
 */
public final class WireLists {
  private WireLists() {}

  public static int[][] ints(List<List<Integer>> rows) {
    int[][] out = new int[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  public static List<List<Integer>> ofInts(int[][] rows) {
    List<List<Integer>> out = new ArrayList<>(rows.length);
    for (int[] row : rows) {
      List<Integer> r = new ArrayList<>(row.length);
      for (int v : row) {
        r.add(v);
      }
      out.add(r);
    }
    return out;
  }

  public static double[][] doubles(List<List<Double>> rows) {
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i).stream().mapToDouble(Double::doubleValue).toArray();
    }
    return out;
  }

  public static List<List<Double>> ofDoubles(double[][] rows) {
    List<List<Double>> out = new ArrayList<>(rows.length);
    for (double[] row : rows) {
      List<Double> r = new ArrayList<>(row.length);
      for (double v : row) {
        r.add(v);
      }
      out.add(r);
    }
    return out;
  }
}

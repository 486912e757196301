package org.fpnas.controller;

/** Sample ids: {@code <searchId>/<iteration>/<index>}, the same for every dispatch attempt of a sample. */
public final class SampleIds {
  private SampleIds() {}

  public static String of(String searchId, int iteration, int index) {
    return searchId + "/" + iteration + "/" + index;
  }
}

package org.fpnas.schemas;

/**
 * Sample ids: {@code <searchId>/<iteration>/<index>}, the same for every dispatch attempt of a
 * sample. Samples are keyed by their id, so a consumer learns a sample's search from the key
 * without decoding the value; search ids never contain '/'.
 */
public final class SampleIds {
  private SampleIds() {}

  public static String of(String searchId, int iteration, int index) {
    return searchId + "/" + iteration + "/" + index;
  }

  /**
   * The search id of a sample id; a key that is not a sample id (no '/') is returned whole, null as
   * "".
   */
  public static String searchOf(String sampleId) {
    if (sampleId == null) {
      return "";
    }
    int slash = sampleId.indexOf('/');
    return slash < 0 ? sampleId : sampleId.substring(0, slash);
  }
}

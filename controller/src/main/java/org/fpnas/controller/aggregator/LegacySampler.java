package org.fpnas.controller.aggregator;

import java.util.Map;

/**
 * What the sampler of a controller before the aggregator drew the samples had sampled: the last
 * iteration of each search whose samples it handed out, as its {@code sampler-sampled-iteration}
 * store (read from the changelog when the controller starts) left it. A search that such a
 * controller was running when this one took over is in the aggregator's stores at an iteration
 * whose samples this aggregator did not draw; they were drawn if the old sampler got to them, and
 * are drawn now otherwise ({@link IterationSamples}).
 */
public record LegacySampler(Map<String, Integer> lastSampled) {
  /** Nothing sampled by an old sampler: a fresh cluster, or a test. */
  public static final LegacySampler NONE = new LegacySampler(Map.of());

  public LegacySampler {
    lastSampled = Map.copyOf(lastSampled);
  }

  /** Whether the old sampler handed out the samples of the search's iteration. */
  public boolean sampled(String searchId, int iteration) {
    Integer last = lastSampled.get(searchId);
    return last != null && last >= iteration;
  }
}

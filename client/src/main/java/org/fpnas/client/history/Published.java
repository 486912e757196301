package org.fpnas.client.history;

import java.util.Comparator;
import org.fpnas.schemas.avro.DistributionUpdate;

/**
 * Which published distribution an update is: its version and its iteration. The version alone is
 * not enough: a distribution carried forward over an iteration in which every sample failed keeps
 * its version and moves to the next iteration (docs/algorithm.md §5), and a reader that kept one
 * update per version would drop it, and with it a search's last, done update.
 */
record Published(long version, int iteration) {
  /** In the order the aggregator published them. */
  static final Comparator<DistributionUpdate> ORDER =
      Comparator.comparingLong(DistributionUpdate::getVersion)
          .thenComparingInt(DistributionUpdate::getIteration);

  static Published of(DistributionUpdate update) {
    return new Published(update.getVersion(), update.getIteration());
  }
}

package org.fpnas.dashboard;

import org.fpnas.admin.ScramCredentials;

/** Stops a search as a team's own principal. */
@FunctionalInterface
interface Canceller {

  /**
   * Publishes the search's cancellation with these credentials; returns the state it had.
   *
   * @throws io.javalin.http.HttpResponseException naming why it cannot (no such search, already
   *     ended, refused by the broker)
   */
  String cancel(ScramCredentials as, String team, String searchId);
}

package org.fpnas.dashboard;

/** Which teams' searches a request may see: every team the dashboard reads, or one team's. */
interface TeamScope {

  /** Without a login: every team the dashboard's principal may read. */
  TeamScope ALL = team -> true;

  boolean sees(String team);

  /** False once the login it stands for has ended; an event stream opened under it is closed. */
  default boolean open() {
    return true;
  }
}

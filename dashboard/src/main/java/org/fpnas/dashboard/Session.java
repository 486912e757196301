package org.fpnas.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.fpnas.admin.ScramCredentials;

/**
 * A logged-in team: its credentials (a cancel writes with them, so that the broker's ACLs decide
 * it), the token that a state-changing request must carry, and how long it lasts.
 */
final class Session implements TeamScope {
  private final String id;
  private final String team;
  private final ScramCredentials credentials;
  private final String csrfToken;
  private final Instant expires;
  private final Duration idle;
  private volatile Instant lastSeen;
  private volatile boolean ended;

  Session(
      String id,
      String team,
      ScramCredentials credentials,
      String csrfToken,
      Instant now,
      Duration idle,
      Duration lifetime) {
    this.id = Objects.requireNonNull(id, "id");
    this.team = Objects.requireNonNull(team, "team");
    this.credentials = Objects.requireNonNull(credentials, "credentials of " + team);
    this.csrfToken = Objects.requireNonNull(csrfToken, "csrfToken");
    this.idle = idle;
    this.expires = now.plus(lifetime);
    this.lastSeen = now;
  }

  String id() {
    return id;
  }

  String team() {
    return team;
  }

  ScramCredentials credentials() {
    return credentials;
  }

  String csrfToken() {
    return csrfToken;
  }

  @Override
  public boolean sees(String other) {
    return open() && team.equals(other);
  }

  @Override
  public boolean open() {
    return !ended;
  }

  /** Whether the session has ended or expired by {@code now}. */
  boolean over(Instant now) {
    if (!ended && (now.isAfter(expires) || now.isAfter(lastSeen.plus(idle)))) {
      ended = true;
    }
    return ended;
  }

  /** Whether the session is still valid at {@code now}; a valid one counts as used then. */
  boolean use(Instant now) {
    if (over(now)) {
      return false;
    }
    lastSeen = now;
    return true;
  }

  void end() {
    ended = true;
  }

  /** Hides the credentials and the tokens, so that a session can be logged. */
  @Override
  public String toString() {
    return "Session[" + team + "]";
  }
}

package org.fpnas.dashboard;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fpnas.admin.ScramCredentials;

/**
 * The dashboard's logins, in memory only: a restart logs everyone out. A session ends at logout,
 * after {@link #IDLE} without a request, and at the latest {@link #LIFETIME} after its login.
 */
final class Sessions {
  /** Time without a request after which a login is asked for again. */
  static final Duration IDLE = Duration.ofMinutes(30);

  /** Long enough for a working day, so that a stolen cookie does not last. */
  static final Duration LIFETIME = Duration.ofHours(12);

  /** 256 bits: neither a session id nor a token can be guessed. */
  private static final int TOKEN_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** A new session for a team whose credentials the broker accepted. */
  Session create(String team, ScramCredentials credentials) {
    byId.values().removeIf(s -> s.over(clock.instant()));
    Session s = new Session(token(), team, credentials, token(), clock.instant(), IDLE, LIFETIME);
    byId.put(s.id(), s);
    return s;
  }

  /** The valid session of that id, if any. */
  Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = byId.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.use(clock.instant())) {
      byId.remove(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  void end(Session session) {
    session.end();
    byId.remove(session.id());
  }

  int size() {
    return byId.size();
  }

  private String token() {
    byte[] b = new byte[TOKEN_BYTES];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}

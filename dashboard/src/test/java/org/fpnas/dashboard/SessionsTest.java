package org.fpnas.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.fpnas.admin.ScramCredentials;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final SteppedClock clock = new SteppedClock();
  private final Sessions sessions = new Sessions(clock);
  private final ScramCredentials a = new ScramCredentials("team-a", "pw-a");

  @Test
  void aSessionSeesItsOwnTeamOnlyAndHasItsOwnUnguessableIdAndToken() {
    Session s = sessions.create("a", a);
    Session t = sessions.create("a", a);
    assertTrue(s.sees("a"));
    assertFalse(s.sees("b"));
    assertFalse(s.sees("ab"));
    assertNotEquals(s.id(), t.id());
    assertNotEquals(s.csrfToken(), t.csrfToken());
    assertNotEquals(s.id(), s.csrfToken());
    assertTrue(s.id().length() >= 43, "256 bits in URL-safe Base64");
    assertEquals(s, sessions.find(s.id()).orElseThrow());
    assertTrue(sessions.find("made-up").isEmpty());
    assertTrue(sessions.find(null).isEmpty());
  }

  @Test
  void aSessionEndsAfterItsIdleTimeButRequestsKeepItAlive() {
    Session s = sessions.create("a", a);
    for (int i = 0; i < 4; i++) {
      clock.advance(Sessions.IDLE.minusMinutes(1));
      assertTrue(sessions.find(s.id()).isPresent(), "used within the idle time");
    }
    clock.advance(Sessions.IDLE.plusSeconds(1));
    assertTrue(sessions.find(s.id()).isEmpty());
    assertFalse(s.open(), "an event stream of the session closes");
    assertFalse(s.sees("a"));
  }

  @Test
  void aSessionEndsAtItsLifetimeHoweverBusy() {
    Session s = sessions.create("a", a);
    Duration step = Sessions.IDLE.dividedBy(2);
    for (Duration d = Duration.ZERO; d.compareTo(Sessions.LIFETIME) < 0; d = d.plus(step)) {
      assertTrue(sessions.find(s.id()).isPresent(), "at " + d);
      clock.advance(step);
    }
    clock.advance(Duration.ofSeconds(1));
    assertTrue(sessions.find(s.id()).isEmpty());
  }

  @Test
  void loggingOutEndsTheSessionAndExpiredOnesAreDropped() {
    Session s = sessions.create("a", a);
    sessions.end(s);
    assertTrue(sessions.find(s.id()).isEmpty());
    assertFalse(s.open());
    sessions.create("a", a);
    clock.advance(Sessions.IDLE.plusSeconds(1));
    sessions.create("b", new ScramCredentials("team-b", "pw-b"));
    assertEquals(1, sessions.size(), "the idle session went at the next login");
  }

  @Test
  void aSessionNeverPrintsItsCredentials() {
    Session s = sessions.create("a", a);
    assertFalse(s.toString().contains("pw-a"));
    assertFalse(s.toString().contains(s.id()));
  }
}

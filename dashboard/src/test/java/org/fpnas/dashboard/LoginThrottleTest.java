package org.fpnas.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final SteppedClock clock = new SteppedClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void theFirstFailuresAreFreeThenTheWaitDoublesUpToAMinute() {
    for (int n = 1; n <= LoginThrottle.FREE_FAILURES; n++) {
      assertEquals(Duration.ZERO, LoginThrottle.waitAfter(n));
    }
    assertEquals(Duration.ofSeconds(1), LoginThrottle.waitAfter(LoginThrottle.FREE_FAILURES + 1));
    assertEquals(Duration.ofSeconds(2), LoginThrottle.waitAfter(LoginThrottle.FREE_FAILURES + 2));
    assertEquals(Duration.ofSeconds(32), LoginThrottle.waitAfter(LoginThrottle.FREE_FAILURES + 6));
    assertEquals(LoginThrottle.MAX_WAIT, LoginThrottle.waitAfter(LoginThrottle.FREE_FAILURES + 7));
    assertEquals(LoginThrottle.MAX_WAIT, LoginThrottle.waitAfter(Integer.MAX_VALUE));
  }

  @Test
  void aUserWaitsAfterRepeatedFailuresAndOtherUsersDoNot() {
    for (int n = 0; n < LoginThrottle.FREE_FAILURES; n++) {
      assertEquals(Duration.ZERO, throttle.failed("team-a"));
    }
    assertEquals(Duration.ofSeconds(1), throttle.failed("team-a"));
    assertEquals(Duration.ofSeconds(1), throttle.wait("team-a"));
    assertEquals(Duration.ZERO, throttle.wait("team-b"), "one team's failures slow no other");
    clock.advance(Duration.ofMillis(400));
    assertEquals(Duration.ofMillis(600), throttle.wait("team-a"));
    clock.advance(Duration.ofMillis(600));
    assertEquals(Duration.ZERO, throttle.wait("team-a"), "never locked out: the wait passes");
    assertEquals(Duration.ofSeconds(2), throttle.failed("team-a"));
  }

  @Test
  void aTeamsPasswordsAreCheckedOneAtATime() {
    assertEquals(Duration.ZERO, throttle.begin("team-a"));
    assertEquals(Duration.ofSeconds(1), throttle.begin("team-a"), "a guess sent at once waits");
    assertEquals(Duration.ZERO, throttle.begin("team-b"), "another team does not");
    throttle.failed("team-a");
    assertEquals(Duration.ZERO, throttle.begin("team-a"));
    throttle.abandoned("team-a"); // the broker did not answer: no failure counted
    assertEquals(Duration.ZERO, throttle.begin("team-a"));
    for (int n = 1; n < LoginThrottle.FREE_FAILURES; n++) {
      throttle.failed("team-a");
    }
    assertEquals(Duration.ofSeconds(1), throttle.failed("team-a"));
    assertEquals(Duration.ofSeconds(1), throttle.begin("team-a"), "waiting: nothing is checked");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Duration.ZERO, throttle.begin("team-a"));
  }

  @Test
  void aSuccessForgetsTheFailures() {
    for (int n = 0; n <= LoginThrottle.FREE_FAILURES; n++) {
      throttle.failed("team-a");
    }
    throttle.succeeded("team-a");
    assertEquals(Duration.ZERO, throttle.wait("team-a"));
    assertEquals(Duration.ZERO, throttle.failed("team-a"));
  }
}

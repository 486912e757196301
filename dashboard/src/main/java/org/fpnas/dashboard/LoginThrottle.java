package org.fpnas.dashboard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Slows down password guessing, one team at a time: after {@link #FREE_FAILURES} failed logins in a
 * row, each further failure makes the team wait before its next attempt, twice as long as the last
 * time and at most {@link #MAX_WAIT}. The team is never locked out (its own members can always try
 * again after that wait), and one team's failures never slow another team down. A success forgets
 * the failures. A team's passwords are checked one at a time, so that guesses sent at once do not
 * all pass before the first failure counts.
 */
final class LoginThrottle {
  /** Mistyped passwords cost nothing. */
  static final int FREE_FAILURES = 3;

  /** Long enough that guessing goes at a minute a try; short enough for a member to wait it out. */
  static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private static final Duration FIRST_WAIT = Duration.ofSeconds(1);

  /** While another login of the team is being checked. */
  private static final Duration BUSY_WAIT = Duration.ofSeconds(1);

  private record Failures(int count, Instant notBefore, boolean checking) {}

  private final Clock clock;

  /** Bounded, and forgotten a while after the last failure, whatever names are tried. */
  private final Cache<String, Failures> failures =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(15)).build();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /**
   * Starts a check of the user's password: zero when it may go on (then {@link #failed}, {@link
   * #succeeded} or {@link #abandoned} must follow), else how long the user must still wait.
   */
  Duration begin(String user) {
    Duration[] refused = {Duration.ZERO};
    failures
        .asMap()
        .compute(
            user,
            (u, f) -> {
              Instant now = clock.instant();
              if (f == null) {
                return new Failures(0, now, true);
              }
              if (f.checking()) {
                refused[0] = BUSY_WAIT;
                return f;
              }
              if (now.isBefore(f.notBefore())) {
                refused[0] = Duration.between(now, f.notBefore());
                return f;
              }
              return new Failures(f.count(), f.notBefore(), true);
            });
    return refused[0];
  }

  /** How long the user must still wait before its password is checked again; zero if not. */
  Duration wait(String user) {
    Failures f = failures.getIfPresent(user);
    if (f == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), f.notBefore());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** A failed login of the user; returns how long it must now wait. */
  Duration failed(String user) {
    Failures f =
        failures
            .asMap()
            .compute(
                user,
                (u, old) -> {
                  int count = old == null ? 1 : old.count() + 1;
                  return new Failures(count, clock.instant().plus(waitAfter(count)), false);
                });
    return waitAfter(f.count());
  }

  void succeeded(String user) {
    failures.invalidate(user);
  }

  /** The check could not tell (the broker did not answer): neither a failure nor a success. */
  void abandoned(String user) {
    failures
        .asMap()
        .computeIfPresent(user, (u, f) -> new Failures(f.count(), f.notBefore(), false));
  }

  /** The wait after the n-th failure in a row: none, then 1 s, 2 s, 4 s ... up to the maximum. */
  static Duration waitAfter(int n) {
    if (n <= FREE_FAILURES) {
      return Duration.ZERO;
    }
    int doublings = Math.min(n - FREE_FAILURES - 1, 16);
    Duration wait = FIRST_WAIT.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }
}

package org.fpnas.admin;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Creates SCRAM users and ACLs as an administrator and waits until the broker applies them: both
 * reach the broker a moment after the KRaft controller accepted them, and a client that comes
 * earlier is refused. The one place both {@code fpnas team create} and the embedded infrastructure
 * set up a principal.
 */
public final class AccessSetup {
  private static final int SCRAM_ITERATIONS = 4096;

  private AccessSetup() {}

  /** Creates the user or sets its password; an upsert of the same password changes nothing. */
  public static void upsertUser(Admin admin, ScramCredentials credentials, Duration timeout) {
    await(
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        credentials.user(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, SCRAM_ITERATIONS),
                        credentials.password())))
            .all(),
        "create SCRAM user " + credentials.user(),
        timeout);
  }

  /**
   * Creates the ACLs (one that exists already changes nothing) and waits until the broker applies
   * them.
   */
  public static void grant(Admin admin, List<AclBinding> acls, String whose, Duration timeout) {
    await(admin.createAcls(acls).all(), "create the ACLs of " + whose, timeout);
    awaitAcls(admin, acls, timeout);
  }

  /** The broker answers describeAcls from its own authorizer: once it lists them, they apply. */
  private static void awaitAcls(Admin admin, List<AclBinding> acls, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<AclBinding> missing = new HashSet<>(acls);
    while (true) {
      missing.removeAll(
          await(admin.describeAcls(AclBindingFilter.ANY).values(), "list ACLs", timeout));
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "the broker did not apply the ACLs " + missing + " within " + timeout);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what, Duration timeout) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }
}

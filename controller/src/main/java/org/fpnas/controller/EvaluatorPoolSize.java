package org.fpnas.controller;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.fpnas.cluster.EvaluatorGroups;
import org.fpnas.cluster.EvaluatorGroups.Kind;
import org.fpnas.cluster.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator pool's window for the dispatcher's pacing: the members of the evaluators' share
 * group and classic group, asked of the cluster every couple of seconds, times the samples each may
 * hold (the one it evaluates and one ready, so that it never waits for the control loop). 0 while
 * no evaluator is known or the groups cannot be described: the dispatcher then holds nothing back
 * for the pool.
 */
final class EvaluatorPoolSize implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorPoolSize.class);
  private static final RateLimitedLog UNKNOWN = new RateLimitedLog(LOG, 1);
  private static final Duration EVERY = Duration.ofSeconds(2);
  static final int SAMPLES_PER_EVALUATOR = 2;

  private final Admin admin;
  private final Thread follower;
  private volatile int members;
  private volatile boolean closed;

  EvaluatorPoolSize(Properties adminSettings) {
    this.admin = Admin.create(adminSettings);
    this.follower = new Thread(this::follow, "fpnas-evaluator-pool");
    follower.setDaemon(true);
    follower.start();
  }

  /** Samples the pool can hold at once; 0 when unknown. */
  int window() {
    return members * SAMPLES_PER_EVALUATOR;
  }

  private void follow() {
    while (!closed) {
      try {
        members = members(Kind.SHARE) + members(Kind.CLASSIC);
      } catch (RuntimeException e) {
        if (closed) {
          return; // close() interrupted the describe
        }
        // Keep the last count: a broker restart must not release every held sample at once.
        UNKNOWN.warn("evaluator groups not describable now ({}); pool size stays {}", e, members);
      }
      try {
        Thread.sleep(EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private int members(Kind kind) {
    return EvaluatorGroups.describe(admin, kind, EVERY).members().size();
  }

  @Override
  public void close() {
    closed = true;
    follower.interrupt();
    admin.close(Duration.ofSeconds(5));
  }
}

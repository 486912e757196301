package org.fpnas.controller;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.fpnas.schemas.RateLimitedLog;
import org.fpnas.schemas.Topics;
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
        members = shareMembers() + classicMembers();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // Keep the last count: a broker restart must not release every held sample at once.
        UNKNOWN.warn("evaluator groups not describable now ({}); pool size stays {}", e, members);
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private int shareMembers() throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return admin
          .describeShareGroups(List.of(Topics.EVALUATORS_SHARE_GROUP))
          .all()
          .get(EVERY.toMillis(), TimeUnit.MILLISECONDS)
          .get(Topics.EVALUATORS_SHARE_GROUP)
          .members()
          .size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0;
      }
      throw e;
    }
  }

  private int classicMembers() throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return admin
          .describeConsumerGroups(List.of(Topics.EVALUATORS_GROUP))
          .all()
          .get(EVERY.toMillis(), TimeUnit.MILLISECONDS)
          .get(Topics.EVALUATORS_GROUP)
          .members()
          .size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    follower.interrupt();
    admin.close(Duration.ofSeconds(5));
  }
}

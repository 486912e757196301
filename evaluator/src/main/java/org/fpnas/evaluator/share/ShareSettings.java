package org.fpnas.evaluator.share;

/**
 * How the evaluators use their share group, as read back from the group's configs at start.
 *
 * @param group the share group's id
 * @param prefetch samples an evaluator may hold beyond the one it evaluates
 * @param deliveryLimit the group's {@code share.delivery.count.limit}: the delivery that reaches it
 *     settles the sample FAILED instead of evaluating it
 * @param lockMs the group's {@code share.record.lock.duration.ms}, until the broker says otherwise
 */
public record ShareSettings(String group, int prefetch, int deliveryLimit, long lockMs) {
  public ShareSettings {
    if (group == null || group.isBlank()) {
      throw new IllegalArgumentException("share group id must not be blank");
    }
    if (prefetch < 0) {
      throw new IllegalArgumentException("prefetch must be 0 or more, got " + prefetch);
    }
    if (deliveryLimit < 2) {
      throw new IllegalArgumentException(
          "delivery limit must be at least 2 (one evaluation and the delivery that "
              + "settles it FAILED), got "
              + deliveryLimit);
    }
    if (lockMs < 1) {
      throw new IllegalArgumentException("lock duration must be positive, got " + lockMs);
    }
  }
}

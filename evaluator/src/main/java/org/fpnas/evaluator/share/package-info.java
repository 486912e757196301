/**
 * The worker of the share group: acquires samples one at a time, renews their locks while it
 * evaluates, acknowledges each after its result is written.
 */
package org.fpnas.evaluator.share;

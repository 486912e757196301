/**
 * The evaluator service: starts a pool of workers in the classic consumer group or in the share
 * group, and keeps the two kinds of pool off each other's samples topics.
 */
package org.fpnas.evaluator;

/**
 * The worker of the classic consumer group: partitions it owns, their samples in a weighted fair
 * queue between teams and searches, offsets committed only past evaluated samples.
 */
package org.fpnas.evaluator.classic;

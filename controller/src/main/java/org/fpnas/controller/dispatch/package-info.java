/**
 * The team dispatcher: its rules (which samples a team may have in flight, which searches may run,
 * its share of the evaluator pool) and the Kafka Streams application that runs it ({@link
 * org.fpnas.controller.dispatch.DispatchTopology}).
 */
package org.fpnas.controller.dispatch;

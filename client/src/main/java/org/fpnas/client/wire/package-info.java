/**
 * Conversions between the wire contract's records (distributions, results) and the core's types:
 * the one place where an Avro record becomes a {@code SearchState} or an {@code Evaluation}, and
 * back.
 */
package org.fpnas.client.wire;

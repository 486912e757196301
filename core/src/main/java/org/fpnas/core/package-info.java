/**
 * The FP-NAS search, pure and deterministic: factorized and joint distributions, sampling, the
 * update rule, the search state and the in-process search loop. No Kafka, Avro, DJL, clock or
 * global random generator.
 */
package org.fpnas.core;

/**
 * The FP-NAS search math, pure and deterministic: search spaces and their files, architectures,
 * factorized and joint distributions, sampling, the update rule, the in-process search loop and
 * synthetic landscapes. No Kafka, Avro, DJL, clock or global random generator.
 */
package org.fpnas.core;

/**
 * The dispatcher's Kafka Streams processors and team limits, wired into the sampler's topology; not
 * API.
 */
package org.fpnas.controller.dispatch.internals;

/**
 * The dispatcher's Kafka Streams processors and team limits, wired by {@link
 * org.fpnas.controller.dispatch.DispatchTopology}; not API.
 */
package org.fpnas.controller.dispatch.internals;

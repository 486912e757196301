/**
 * The fold: the one function from a search's events to its state, run live by the aggregator and
 * again by replay and what-if.
 */
package org.fpnas.client.fold;

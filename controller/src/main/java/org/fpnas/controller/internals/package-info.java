/**
 * Records, samples and dead letters shared by the aggregator's and the dispatcher's processors; not
 * API.
 */
package org.fpnas.controller.internals;

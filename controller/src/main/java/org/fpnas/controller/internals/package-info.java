/**
 * Records and dead letters shared by the sampler's, the dispatcher's and the aggregator's
 * processors; not API.
 */
package org.fpnas.controller.internals;

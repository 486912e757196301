/**
 * The sampler: every search's samples, drawn from each new distribution (a pure function of seed,
 * iteration and index).
 */
package org.fpnas.controller.sampler;

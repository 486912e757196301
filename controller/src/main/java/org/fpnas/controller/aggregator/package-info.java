/**
 * The aggregator: results joined into iterations, each closed by the fold into the next
 * distribution, published with that iteration's samples; deadlines and placement.
 */
package org.fpnas.controller.aggregator;

/**
 * The aggregator: results joined into iterations, each closed by the fold into the next
 * distribution; deadlines and placement.
 */
package org.fpnas.controller.aggregator;

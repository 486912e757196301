/**
 * What every evaluator worker does, whichever group it takes samples from: the worker thread,
 * evaluating one sample and publishing its result, the catalogue of search specs, the metrics.
 */
package org.fpnas.evaluator.worker;

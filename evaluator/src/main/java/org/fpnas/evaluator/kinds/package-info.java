/** The evaluator kinds built in: {@code benchmark} (a landscape file) and {@code tabular}. */
package org.fpnas.evaluator.kinds;

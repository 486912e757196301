/** Synthetic landscapes: a scorer of architectures read from a file, and its exact best. */
package org.fpnas.core.landscape;

/** Tabular NAS benchmarks shipped with fpnas: their tables, mapping to spaces, random search. */
package org.fpnas.core.tabular;

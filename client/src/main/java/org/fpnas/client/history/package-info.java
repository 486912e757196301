/**
 * A search's history read back from its topics: reading, watching, replay, what-if, export and the
 * result report.
 */
package org.fpnas.client.history;

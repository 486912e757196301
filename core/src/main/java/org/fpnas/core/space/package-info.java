/**
 * Search spaces and architectures: layers, variables and choices, the space file's reading, writing
 * and rules, and the YAML/JSON reading with lines that landscape files share.
 */
package org.fpnas.core.space;

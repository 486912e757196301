/**
 * Typed settings given as text ({@code name=value} maps): each {@link
 * org.fpnas.core.settings.Setting} knows its type, default and allowed values, and {@link
 * org.fpnas.core.settings.SettingsParser} reads a map against a list of them, naming the setting,
 * the value and what is allowed when one does not fit. The hyperparameters, the evaluators'
 * settings and the benchmarks' settings are all read this way.
 */
package org.fpnas.core.settings;

/**
 * The write side of a search: requests, specs (validated, forked), submission and the catalogue of
 * searches.
 */
package org.fpnas.client;

/**
 * The team dispatcher's rules: which samples a team with limits may have in flight, and which
 * searches may run.
 */
package org.fpnas.controller.dispatch;

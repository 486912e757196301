/**
 * Test fixtures: {@link org.fpnas.testkit.RealKafka} gives a test run one real broker and schema
 * registry; {@link org.fpnas.testkit.TestTopics} and {@link org.fpnas.testkit.TestClients} help use
 * them.
 */
package org.fpnas.testkit;

/**
 * The controller service: runs the aggregator and the dispatcher as Kafka Streams applications with
 * the production settings.
 */
package org.fpnas.controller;

/**
 * The controller service: runs the sampler and the aggregator as Kafka Streams applications with
 * the production settings.
 */
package org.fpnas.controller;

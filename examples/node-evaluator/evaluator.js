#!/usr/bin/env node
'use strict';
// An fpnas evaluator in Node.js, written from docs/protocol.md alone (no fpnas code), pure
// JavaScript: KafkaJS, avsc through @kafkajs/confluent-schema-registry. It logs in with SASL/SCRAM,
// so it serves searches on a secure cluster.
//
// It joins the evaluator pool (the classic group), reads architecture samples from a team's samples
// topic, scores each one with a deterministic function of its choices and writes an
// EvaluationResult to the team's evaluations topic, in the Confluent wire format.
//
// The score stands in for a real model: replace `score` with training and validation of the sample.
//
//     log_likelihood = -0.5 * sum over layers l, variables m of (choices[l][m] - (l + m) % 2) ** 2
//     cost           = sum over layers l, variables m of choices[l][m]
//
// Both sums are of small integers, so every client computes bit-identical doubles.

const os = require('os');
const { parseArgs } = require('util');
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');
const { readClientConfig } = require('./client-config');
const { CooperativeAssigner } = require('./cooperative-assigner');

const TEAM = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const SAMPLES = /^fpnas\.[a-z0-9][a-z0-9_-]*\.samples$/;
const TOPIC_REFRESH_MS = 3000;

/** The documented deterministic score: [logLikelihood, cost]. */
function score(choices) {
  let squares = 0;
  let total = 0;
  choices.forEach((layer, l) =>
    layer.forEach((c, m) => {
      squares += (c - ((l + m) % 2)) ** 2;
      total += c;
    }),
  );
  return [-0.5 * squares, total];
}

/** A sample that is not Confluent wire format Avro of a known schema: it becomes a dead letter. */
class UnreadableSample extends Error {
  constructor(message) {
    super(message);
    this.name = 'UnreadableSample';
  }
}

function options() {
  const usage =
    'usage: evaluator.js --bootstrap-servers HOST:PORT[,...] --schema-registry URL ' +
    '[--client-config FILE] [--team TEAM] [--group GROUP] [--id ID]';
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'bootstrap-servers': { type: 'string' },
        'schema-registry': { type: 'string' },
        'client-config': { type: 'string' },
        team: { type: 'string' },
        group: { type: 'string', default: 'fpnas-evaluators' },
        id: { type: 'string', default: `node-${os.hostname()}-${process.pid}` },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new Error(`${e.message}\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  for (const required of ['bootstrap-servers', 'schema-registry']) {
    if (!values[required]) {
      throw new Error(`--${required} is required\n${usage}`);
    }
  }
  if (values.team !== undefined && !TEAM.test(values.team)) {
    throw new Error(
      `--team must be 1-40 of a-z 0-9 _ -, starting with a letter or digit, got '${values.team}'`,
    );
  }
  return values;
}

class Evaluator {
  constructor(settings) {
    this.id = settings.id;
    this.team = settings.team;
    this.group = settings.group;
    const { kafka: security, registryAuth } = settings['client-config']
      ? readClientConfig(settings['client-config'])
      : { kafka: {}, registryAuth: undefined };
    const kafka = new Kafka({
      clientId: this.id,
      brokers: settings['bootstrap-servers'].split(','),
      ...security,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ namespace, label, log: entry }) =>
          log(
            `kafkajs ${label} ${namespace}: ${entry.message}` +
              (entry.error ? ` (${entry.error})` : ''),
          ),
    });
    this.registry = new SchemaRegistry({ host: settings['schema-registry'], auth: registryAuth });
    this.writerIds = new Map();
    this.admin = this.team ? undefined : kafka.admin();
    // KafkaJS's default partitioner is Java's (murmur2): results land on their search's partition.
    // Topics are the team's, made with their settings by `fpnas team create`, never on first use.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    this.consumer = kafka.consumer({
      groupId: settings.group,
      allowAutoTopicCreation: false,
      partitionAssigners: [CooperativeAssigner],
      // Samples are published in transactions; an aborted iteration must never be evaluated.
      readUncommitted: false,
      sessionTimeout: 10000,
      heartbeatInterval: 3000,
    });
    this.topics = new Set();
  }

  async start() {
    await Promise.all([this.producer.connect(), this.consumer.connect(), this.admin?.connect()]);
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) {
        log(`evaluator ${this.id}: the consumer stopped: ${payload.error}`);
        process.exit(1);
      }
    });
    if (this.team) {
      await this.serve([`fpnas.${this.team}.samples`]);
    } else {
      await this.followTeams();
    }
  }

  /** KafkaJS resolves a subscription once, so the evaluator looks for new teams' samples topics. */
  async followTeams() {
    try {
      const topics = await this.admin.listTopics();
      const added = topics.filter((t) => SAMPLES.test(t) && !this.topics.has(t));
      if (added.length > 0) {
        await this.serve(added);
      }
    } catch (e) {
      log(`evaluator ${this.id}: ${e.message}`);
    }
    if (!this.stopping) {
      this.refresh = setTimeout(() => this.followTeams(), TOPIC_REFRESH_MS);
    }
  }

  /** Adds samples topics to the subscription, which KafkaJS changes only while stopped. */
  async serve(added) {
    if (this.topics.size > 0) {
      await this.consumer.stop();
    }
    added.forEach((t) => this.topics.add(t));
    await this.consumer.subscribe({ topics: added, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        await this.handle(topic, partition, message);
        // At least once: the result is acknowledged by the broker before the sample is committed.
        const next = (BigInt(message.offset) + 1n).toString();
        await this.consumer.commitOffsets([{ topic, partition, offset: next }]);
      },
    });
    log(`evaluator ${this.id}: group ${this.group}, topics ${[...this.topics].join(', ')}`);
  }

  async handle(topic, partition, message) {
    const team = topic.slice('fpnas.'.length, -'.samples'.length);
    const started = process.hrtime.bigint();
    let sample;
    try {
      sample = await this.decode(message.value);
    } catch (e) {
      if (!(e instanceof UnreadableSample)) {
        throw e;
      }
      return this.deadLetter(team, topic, partition, message, e);
    }
    const result = {
      sampleId: sample.sampleId,
      searchId: sample.searchId,
      iteration: sample.iteration,
      index: sample.index,
      attempt: sample.attempt ?? 1,
      evaluatorId: this.id,
      metrics: {},
      logLikelihood: null,
      cost: null,
      error: null,
    };
    try {
      const [logLikelihood, cost] = score(sample.choices);
      Object.assign(result, { status: 'OK', logLikelihood, cost });
    } catch (e) {
      // The sample cannot be evaluated: a FAILED result, so the iteration can go on.
      Object.assign(result, { status: 'FAILED', error: `${e.name}: ${e.message}` });
    }
    result.durationMs = Number((process.hrtime.bigint() - started) / 1000000n);
    result.finishedAtMs = Date.now();
    await this.send(`fpnas.${team}.evaluations`, Buffer.from(sample.searchId, 'utf8'), result);
  }

  async decode(value) {
    if (!value || value.length < 5 || value[0] !== 0) {
      throw new UnreadableSample(
        'not Confluent wire format (magic byte 0, 4-byte schema id, Avro binary)',
      );
    }
    const id = value.readInt32BE(1);
    let writer;
    try {
      writer = await this.registry.getSchema(id);
    } catch (e) {
      if (e.status === 404) {
        throw new UnreadableSample(`schema id ${id} is unknown to the registry: ${e.message}`);
      }
      throw e;
    }
    try {
      return writer.fromBuffer(value.subarray(5));
    } catch (e) {
      throw new UnreadableSample(`not valid Avro of schema id ${id}: ${e.message}`);
    }
  }

  /**
   * Writes with the subject's latest schema, which the services registered with the team's topics.
   */
  async send(topic, key, record) {
    const subject = `${topic}-value`;
    if (!this.writerIds.has(subject)) {
      this.writerIds.set(subject, await this.registry.getLatestSchemaId(subject));
    }
    const value = await this.registry.encode(this.writerIds.get(subject), record);
    await this.producer.send({ topic, acks: -1, messages: [{ key, value }] });
  }

  async deadLetter(team, topic, partition, message, error) {
    log(
      `evaluator ${this.id}: unreadable sample at ${topic}-${partition}@${message.offset}: ` +
        error.message,
    );
    await this.send(`fpnas.${team}.dlq`, message.key, {
      sourceTopic: topic,
      sourcePartition: partition,
      sourceOffset: Number(message.offset),
      key: message.key,
      value: message.value,
      error: error.message,
      errorClass: error.name,
      service: 'node-evaluator',
      timestampMs: Date.now(),
    });
  }

  async stop() {
    this.stopping = true;
    clearTimeout(this.refresh);
    await this.consumer.disconnect();
    await Promise.all([this.producer.disconnect(), this.admin?.disconnect()]);
  }
}

function log(line) {
  process.stderr.write(`${line}\n`);
}

async function main() {
  const evaluator = new Evaluator(options());
  let stopping = false;
  const stop = () => {
    if (!stopping) {
      stopping = true;
      evaluator.stop().then(
        () => process.exit(0),
        (e) => {
          log(`evaluator ${evaluator.id}: ${e.message}`);
          process.exit(1);
        },
      );
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await evaluator.start();
}

if (require.main === module) {
  main().catch((e) => {
    log(`evaluator: ${e.message}`);
    process.exit(1);
  });
}

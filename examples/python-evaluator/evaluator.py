#!/usr/bin/python3
"""An fpnas evaluator in Python, written from docs/protocol.md alone (no fpnas code).

It joins the evaluator pool (a classic consumer group), reads architecture samples from a team's
samples topic, scores each one with a deterministic function of its choices and writes an
EvaluationResult to the team's evaluations topic, in the Confluent wire format. Debian packages:
python3-confluent-kafka (librdkafka) and python3-avro.

The score stands in for a real model: replace `score` with training and validation of the sample.

    log_likelihood = -0.5 * sum over layers l and variables m of (choices[l][m] - (l + m) % 2) ** 2
    cost           = sum over layers l and variables m of choices[l][m]

Both sums are of integers, so every client computes bit-identical doubles.
"""

import argparse
import io
import json
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaException, Producer

MAGIC = b"\x00"


def score(choices):
    """The documented deterministic score: (log-likelihood, cost)."""
    squares = 0
    total = 0
    for l, layer in enumerate(choices):
        for m, c in enumerate(layer):
            squares += (c - (l + m) % 2) ** 2
            total += c
    return -0.5 * squares, float(total)


class Registry:
    """The few schema registry calls an evaluator needs (Confluent REST API), with caches."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self.by_id = {}
        self.latest_by_subject = {}

    def _get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as e:
            raise RuntimeError("schema registry %s%s answered %d: %s" % (self.url, path, e.code, e.read().decode()))

    def schema(self, schema_id):
        if schema_id not in self.by_id:
            self.by_id[schema_id] = avro.schema.parse(self._get("/schemas/ids/%d" % schema_id)["schema"])
        return self.by_id[schema_id]

    def latest(self, subject):
        """(id, schema) of the subject's latest version: what a producer writes with."""
        if subject not in self.latest_by_subject:
            answer = self._get("/subjects/%s/versions/latest" % subject)
            self.latest_by_subject[subject] = (answer["id"], avro.schema.parse(answer["schema"]))
        return self.latest_by_subject[subject]


def decode(registry, payload):
    if payload is None or len(payload) < 5 or payload[0:1] != MAGIC:
        raise ValueError("not Confluent wire format (magic byte 0, 4-byte schema id, Avro binary)")
    writer = registry.schema(int.from_bytes(payload[1:5], "big"))
    return avro.io.DatumReader(writer).read(avro.io.BinaryDecoder(io.BytesIO(payload[5:])))


def encode(schema_id, schema, record):
    out = io.BytesIO()
    out.write(MAGIC)
    out.write(schema_id.to_bytes(4, "big"))
    avro.io.DatumWriter(schema).write(record, avro.io.BinaryEncoder(out))
    return out.getvalue()


def team_of(samples_topic):
    # fpnas.<team>.samples
    return samples_topic[len("fpnas."):-len(".samples")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--schema-registry", required=True)
    parser.add_argument("--team", help="evaluate this team's samples only (default: every team's)")
    parser.add_argument("--group", default="fpnas-evaluators", help="consumer group (default: %(default)s)")
    parser.add_argument("--id", default="python-%s-%d" % (socket.gethostname(), os.getpid()))
    parser.add_argument("--partitioner", default="consistent_random",
                        help="librdkafka partitioner of the results (default: librdkafka's own, %(default)s; "
                             "murmur2_random places them where Java's client does and saves the aggregator a hop)")
    args = parser.parse_args()

    registry = Registry(args.schema_registry)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": args.group,
        "client.id": args.id,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        # Samples are published in transactions; an aborted iteration must never be evaluated.
        "isolation.level": "read_committed",
        # The Java evaluators of the pool use the cooperative sticky assignor.
        "partition.assignment.strategy": "cooperative-sticky",
        "session.timeout.ms": 10000,
        "topic.metadata.refresh.interval.ms": 3000,
    })
    producer = Producer({
        "bootstrap.servers": args.bootstrap_servers,
        "client.id": args.id + "-results",
        "acks": "all",
        "enable.idempotence": True,
        "linger.ms": 0,
        "partitioner": args.partitioner,
    })
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    topics = ["fpnas.%s.samples" % args.team] if args.team else [r"^fpnas\.[a-z0-9][a-z0-9_-]*\.samples$"]
    consumer.subscribe(topics)
    print("evaluator %s: group %s, topics %s" % (args.id, args.group, topics), file=sys.stderr, flush=True)
    try:
        while not stopping:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                print("evaluator %s: %s" % (args.id, message.error()), file=sys.stderr, flush=True)
                continue
            handle(registry, producer, message, args.id)
            # At least once: the result is acknowledged by the broker before the sample is committed.
            producer.flush(30)
            consumer.commit(message=message, asynchronous=False)
    finally:
        consumer.close()
        producer.flush(30)


def handle(registry, producer, message, evaluator_id):
    team = team_of(message.topic())
    started = time.monotonic()
    try:
        sample = decode(registry, message.value())
    except Exception as e:  # an unreadable sample goes to the team's dead letter queue
        dead_letter(registry, producer, message, team, evaluator_id, e)
        return
    result = {
        "sampleId": sample["sampleId"], "searchId": sample["searchId"], "iteration": sample["iteration"],
        "index": sample["index"], "attempt": sample.get("attempt", 1), "evaluatorId": evaluator_id,
        "metrics": {}, "logLikelihood": None, "cost": None, "error": None,
    }
    try:
        log_likelihood, cost = score(sample["choices"])
        result.update(status="OK", logLikelihood=log_likelihood, cost=cost)
    except Exception as e:  # the sample cannot be evaluated: a FAILED result, so the iteration can go on
        result.update(status="FAILED", error="%s: %s" % (type(e).__name__, e))
    result["durationMs"] = int((time.monotonic() - started) * 1000)
    result["finishedAtMs"] = int(time.time() * 1000)
    topic = "fpnas.%s.evaluations" % team
    schema_id, schema = registry.latest(topic + "-value")
    producer.produce(topic, key=sample["searchId"].encode("utf-8"), value=encode(schema_id, schema, result),
                     on_delivery=delivered)


def dead_letter(registry, producer, message, team, evaluator_id, error):
    print("evaluator %s: unreadable sample at %s-%d@%d: %s" % (evaluator_id, message.topic(), message.partition(),
          message.offset(), error), file=sys.stderr, flush=True)
    topic = "fpnas.%s.dlq" % team
    schema_id, schema = registry.latest(topic + "-value")
    letter = {
        "sourceTopic": message.topic(), "sourcePartition": message.partition(), "sourceOffset": message.offset(),
        "key": message.key(), "value": message.value(), "error": str(error), "errorClass": type(error).__name__,
        "service": "python-evaluator", "timestampMs": int(time.time() * 1000),
    }
    producer.produce(topic, key=message.key(), value=encode(schema_id, schema, letter), on_delivery=delivered)


def delivered(error, message):
    if error is not None:
        raise KafkaException(error)


if __name__ == "__main__":
    main()

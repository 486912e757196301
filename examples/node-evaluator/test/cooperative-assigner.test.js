'use strict';
const test = require('node:test');
const assert = require('node:assert');
const {
  AssignerProtocol: { MemberMetadata, MemberAssignment },
} = require('kafkajs');
const { CooperativeAssigner, balance, readSubscription } = require('../cooperative-assigner');

// What Kafka's Java consumer 4.4 sends as its cooperative-sticky subscription
// (ConsumerProtocol.serializeSubscription, version 3): topics fpnas.a.samples and fpnas.b.samples,
// no user data, owning fpnas.a.samples-3 and fpnas.b.samples-0, generation 7, rack "rack-1".
const JAVA_SUBSCRIPTION = Buffer.from(
  '000300000002000f66706e61732e612e73616d706c6573000f66706e61732e622e73616d706c6573ffffffff' +
    '00000002000f66706e61732e612e73616d706c65730000000100000003000f66706e61732e622e73616d706c' +
    '657300000001000000000000000700067261636b2d31',
  'hex',
);

const partitionsOf = (topic, count) =>
  Array.from({ length: count }, (_, partition) => ({ topic, partition }));
const total = (assignment) => Object.values(assignment).reduce((n, ps) => n + ps.length, 0);

test('reads the topics and owned partitions of a Java member', () => {
  assert.deepStrictEqual(readSubscription(JAVA_SUBSCRIPTION), {
    topics: ['fpnas.a.samples', 'fpnas.b.samples'],
    owned: [
      { topic: 'fpnas.a.samples', partition: 3 },
      { topic: 'fpnas.b.samples', partition: 0 },
    ],
  });
});

test('reads a KafkaJS member as owning nothing', () => {
  const metadata = CooperativeAssigner({}).protocol({ topics: ['fpnas.a.samples'] }).metadata;
  assert.deepStrictEqual(readSubscription(metadata), { topics: ['fpnas.a.samples'], owned: [] });
});

test('a partition leaves its owner one rebalance before its new member gets it', () => {
  const partitions = partitionsOf('t', 16);
  const java = { memberId: 'java', topics: ['t'], owned: partitions };
  const node = { memberId: 'node', topics: ['t'], owned: [] };
  const first = balance([java, node], partitions);
  assert.strictEqual(total(first.get('java')), 8, 'the owner gives up half');
  assert.strictEqual(total(first.get('node')), 0, 'nobody takes what the owner still holds');

  const kept = first.get('java').t.map((partition) => ({ topic: 't', partition }));
  const second = balance([{ ...java, owned: kept }, node], partitions);
  assert.deepStrictEqual(second.get('java'), first.get('java'), 'the owner keeps the rest');
  assert.strictEqual(total(second.get('node')), 8);
  const all = [...second.get('java').t, ...second.get('node').t].sort((a, b) => a - b);
  assert.deepStrictEqual(all, [...Array(16).keys()], 'every partition once');
});

test('a topic goes only to the members that subscribe to it, loads levelled', () => {
  const partitions = [...partitionsOf('a', 4), ...partitionsOf('b', 4)];
  const result = balance(
    [
      { memberId: 'x', topics: ['a', 'b'], owned: [] },
      { memberId: 'y', topics: ['b'], owned: [] },
    ],
    partitions,
  );
  assert.deepStrictEqual(result.get('x'), { a: [0, 1, 2, 3] });
  assert.deepStrictEqual(result.get('y'), { b: [0, 1, 2, 3] });
});

test('as the leader it answers every member in a form Java reads', async () => {
  const counts = { 'fpnas.a.samples': 4, 'fpnas.b.samples': 2, 'fpnas.c.samples': 0 };
  const cluster = {
    asked: [],
    async addMultipleTargetTopics(topics) {
      this.asked.push(...topics);
    },
    findTopicPartitionMetadata: (topic) =>
      [...Array(counts[topic]).keys()].map((partitionId) => ({ partitionId })),
  };
  const assigner = CooperativeAssigner({ cluster });
  const answers = await assigner.assign({
    members: [
      { memberId: 'java', memberMetadata: JAVA_SUBSCRIPTION },
      {
        memberId: 'node',
        memberMetadata: MemberMetadata.encode({ version: 0, topics: ['fpnas.a.samples'] }),
      },
      {
        memberId: 'idle',
        memberMetadata: MemberMetadata.encode({ version: 0, topics: ['fpnas.c.samples'] }),
      },
    ],
  });
  assert.deepStrictEqual(cluster.asked.sort(), [
    'fpnas.a.samples',
    'fpnas.b.samples',
    'fpnas.c.samples',
  ]);
  const byMember = Object.fromEntries(
    answers.map(({ memberId, memberAssignment }) => [
      memberId,
      MemberAssignment.decode(memberAssignment).assignment,
    ]),
  );
  assert.deepStrictEqual(
    Object.keys(byMember).sort(),
    ['idle', 'java', 'node'],
    'an answer for each member',
  );
  assert.deepStrictEqual(byMember.idle, {});
  assert.ok(
    byMember.java['fpnas.a.samples'].includes(3) && byMember.java['fpnas.b.samples'].includes(0),
  );
  assert.strictEqual(total(byMember.java) + total(byMember.node), 6);
});

'use strict';
// A KafkaJS partition assigner that lets this evaluator share the classic group `fpnas-evaluators`
// with the Java evaluators. A classic group agrees on one assignor name that every member offers,
// and the Java members offer only `cooperative-sticky`; KafkaJS ships no such assignor.
//
// As a member, this one behaves as an eager consumer that owns nothing when it rejoins (KafkaJS
// stops fetching for a rebalance), which cooperative leaders accept: they treat its partitions as
// free. As the leader, it keeps the cooperative rule for the other members: a partition that
// another member declares it owns moves only once that member has given it up, one rebalance later.

const {
  AssignerProtocol: { MemberMetadata, MemberAssignment },
} = require('kafkajs');

const NAME = 'cooperative-sticky';

function CooperativeAssigner({ cluster }) {
  return {
    name: NAME,
    version: 0,

    async assign({ members }) {
      const subscriptions = members.map(({ memberId, memberMetadata }) => ({
        memberId,
        ...readSubscription(memberMetadata),
      }));
      const topics = [...new Set(subscriptions.flatMap((s) => s.topics))];
      // The leader's metadata covers its own topics; a Java member may subscribe to more.
      await cluster.addMultipleTargetTopics(topics);
      const partitions = topics.flatMap((topic) =>
        cluster.findTopicPartitionMetadata(topic).map((p) => ({ topic, partition: p.partitionId })),
      );
      const target = balance(subscriptions, partitions);
      return subscriptions.map(({ memberId }) => ({
        memberId,
        memberAssignment: MemberAssignment.encode({ version: 0, assignment: target.get(memberId) }),
      }));
    },

    protocol({ topics }) {
      return { name: NAME, metadata: MemberMetadata.encode({ version: 0, topics }) };
    },
  };
}

/**
 * Each member's partitions, `Map<memberId, {topic: [partition]}>`: owners keep what they own,
 * free partitions go to the least loaded member that subscribes to their topic, then single moves
 * level the loads; a partition whose owner must give it up is left out this round.
 */
function balance(subscriptions, partitions) {
  const load = new Map(subscriptions.map((s) => [s.memberId, 0]));
  const eligible = (topic) =>
    subscriptions.filter((s) => s.topics.includes(topic)).map((s) => s.memberId);
  const key = (p) => `${p.topic}\u0000${p.partition}`;
  const declared = new Map();
  for (const s of subscriptions) {
    for (const p of s.owned) {
      if (!declared.has(key(p))) {
        declared.set(key(p), s.memberId);
      }
    }
  }
  const owner = new Map();
  const give = (p, memberId) => {
    if (owner.has(key(p))) {
      load.set(owner.get(key(p)), load.get(owner.get(key(p))) - 1);
    }
    owner.set(key(p), memberId);
    load.set(memberId, load.get(memberId) + 1);
  };
  const leastLoaded = (candidates) =>
    candidates.reduce((best, m) => (load.get(m) < load.get(best) ? m : best));
  const sorted = [...partitions].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
  for (const p of sorted) {
    const previous = declared.get(key(p));
    if (previous !== undefined && eligible(p.topic).includes(previous)) {
      give(p, previous);
    }
  }
  for (const p of sorted) {
    const candidates = eligible(p.topic);
    if (!owner.has(key(p)) && candidates.length > 0) {
      give(p, leastLoaded(candidates.sort()));
    }
  }
  // Each move lowers the sum of squared loads, so this ends.
  for (let moved = true; moved;) {
    moved = false;
    for (const p of sorted) {
      const to = leastLoaded(eligible(p.topic).sort());
      if (owner.has(key(p)) && load.get(owner.get(key(p))) > load.get(to) + 1) {
        give(p, to);
        moved = true;
      }
    }
  }
  const result = new Map(subscriptions.map((s) => [s.memberId, {}]));
  for (const p of sorted) {
    const memberId = owner.get(key(p));
    const previous = declared.get(key(p));
    const mustWait = previous !== undefined && previous !== memberId && load.has(previous);
    if (memberId !== undefined && !mustWait) {
      (result.get(memberId)[p.topic] ||= []).push(p.partition);
    }
  }
  return result;
}

/**
 * A member's subscription (Kafka's ConsumerProtocolSubscription, not flexible): version, topics,
 * user data, and from version 1 on the partitions it owns (then a generation and a rack, unused).
 */
function readSubscription(buffer) {
  const { version, topics } = MemberMetadata.decode(buffer);
  const owned = [];
  if (version >= 1) {
    let at = 2;
    const int16 = () => ((at += 2), buffer.readInt16BE(at - 2));
    const int32 = () => ((at += 4), buffer.readInt32BE(at - 4));
    const string = () => {
      const length = int16();
      return ((at += length), buffer.toString('utf8', at - length, at));
    };
    for (let n = int32(); n > 0; n--) {
      string();
    }
    const userData = int32();
    at += Math.max(userData, 0);
    for (let n = int32(); n > 0; n--) {
      const topic = string();
      for (let m = int32(); m > 0; m--) {
        owned.push({ topic, partition: int32() });
      }
    }
  }
  return { topics, owned };
}

module.exports = { CooperativeAssigner, balance, readSubscription };

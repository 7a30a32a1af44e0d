import type { AggregateRef, EventEnvelope } from './envelope';

/**
 * Per-aggregate ordering. The broker (and the outbox relay after an outage, retries through the TTL
 * queue, several consumers) can deliver an aggregate's events in any order; a publisher that numbers
 * them lets a consumer tell which came first. The publisher keeps a counter on the aggregate document
 * and bumps it in the SAME write that adds the events to the outbox, so numbers are unique per aggregate
 * and follow the order of the writes.
 */

/** The events with `aggregate = {type, id, seq}` stamped on, numbered from `lastSeq + 1` in order. */
export function stampSequence<T extends EventEnvelope>(events: readonly T[], type: string, id: string, lastSeq: number): T[] {
  return events.map((event, index) => ({ ...event, aggregate: { type, id, seq: lastSeq + index + 1 } }));
}

/** The event's sequence number in the aggregate, or null for events written before numbering. */
export function sequenceOf(event: Pick<EventEnvelope, 'aggregate'>, type?: string): number | null {
  const aggregate: AggregateRef | undefined = event.aggregate;
  if (!aggregate || (type !== undefined && aggregate.type !== type)) return null;
  return aggregate.seq;
}

/**
 * Whether an event with sequence `seq` comes after the last one applied (`lastApplied`). Unnumbered
 * events (null) are treated as newer: consumers fall back to arrival order for them, as before.
 */
export function isAfter(seq: number | null, lastApplied: number | null | undefined): boolean {
  if (seq === null || lastApplied === null || lastApplied === undefined) return true;
  return seq > lastApplied;
}

import type { Channel } from 'amqplib';

/** Names of one service's queues on the shared topic exchange. */
export interface Topology {
  exchange: string;
  queue: string;
  deadLetterQueue: string;
  retryQueue(delayMs: number): string;
}

export function topologyFor(exchange: string, queue: string): Topology {
  return {
    exchange,
    queue,
    deadLetterQueue: `${queue}.dead`,
    retryQueue: (delayMs) => `${queue}.retry.${delayMs}ms`,
  };
}

/** `classic`: one node holds each queue (dev, tests). `quorum`: Raft-replicated over the cluster's
 * nodes, survives the loss of a minority of them (production). A queue keeps the type it was first
 * declared with: switching an existing deployment means draining and deleting its queues first. */
export type QueueType = 'classic' | 'quorum';

export interface TopologyOptions {
  queueType?: QueueType;
  /** quorum only: after this many redeliveries (requeues, consumer crashes) the broker dead-letters
   * the message instead of handing it out forever */
  deliveryLimit?: number;
}

/** Queue arguments for one queue; `deadLetterTo` routes what the broker drops (delivery limit,
 * TTL) into another queue through the default exchange. */
export function queueArguments(options: TopologyOptions, deadLetterTo?: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (deadLetterTo) {
    args['x-dead-letter-exchange'] = '';
    args['x-dead-letter-routing-key'] = deadLetterTo;
  }
  if (options.queueType === 'quorum') {
    args['x-queue-type'] = 'quorum';
    args['x-delivery-limit'] = options.deliveryLimit ?? 20;
  }
  return args;
}

/** Retry queues: at-least-once dead-lettering, so a retry that expires while a node fails is moved
 * back, not dropped (every handler failure passes through here). The service queue dead-letters only
 * poison that exceeded the delivery limit, at most once, and keeps the default overflow behaviour
 * on the queue every publisher writes to. */
function atLeastOnceDeadLettering(options: TopologyOptions): Record<string, unknown> {
  return options.queueType === 'quorum' ? { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } : {};
}

/** Declares (idempotently) the durable exchange, the service queue with its bindings, one TTL
 * retry queue per delay that dead-letters back into the service queue, and the dead-letter queue.
 * With quorum queues the service queue dead-letters what exceeds the delivery limit. */
export async function assertTopology(
  channel: Channel,
  topology: Topology,
  bindings: string[],
  retryDelaysMs: number[],
  options: TopologyOptions = {},
): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  if (bindings.length === 0) return;
  const quorum = options.queueType === 'quorum';
  await channel.assertQueue(topology.queue, {
    durable: true,
    arguments: queueArguments(options, quorum ? topology.deadLetterQueue : undefined),
  });
  for (const routingKey of bindings) {
    await channel.bindQueue(topology.queue, topology.exchange, routingKey);
  }
  for (const delay of new Set(retryDelaysMs)) {
    await channel.assertQueue(topology.retryQueue(delay), {
      durable: true,
      arguments: { 'x-message-ttl': delay, ...queueArguments(options, topology.queue), ...atLeastOnceDeadLettering(options) },
    });
  }
  await channel.assertQueue(topology.deadLetterQueue, { durable: true, arguments: queueArguments(options) });
}

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

/** Declares (idempotently) the durable exchange, the service queue with its bindings, one TTL
 * retry queue per delay that dead-letters back into the service queue, and the dead-letter queue. */
export async function assertTopology(
  channel: Channel,
  topology: Topology,
  bindings: string[],
  retryDelaysMs: number[],
): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  if (bindings.length === 0) return;
  await channel.assertQueue(topology.queue, { durable: true });
  for (const routingKey of bindings) {
    await channel.bindQueue(topology.queue, topology.exchange, routingKey);
  }
  for (const delay of new Set(retryDelaysMs)) {
    await channel.assertQueue(topology.retryQueue(delay), {
      durable: true,
      arguments: {
        'x-message-ttl': delay,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': topology.queue,
      },
    });
  }
  await channel.assertQueue(topology.deadLetterQueue, { durable: true });
}

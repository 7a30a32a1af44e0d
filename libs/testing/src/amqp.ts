import { connect } from 'amqplib';

/** Reads what sits in a queue (e.g. a dead-letter queue) without consuming it for good. */
export async function peekQueue(url: string, queue: string): Promise<{ body: unknown; headers: Record<string, unknown> }[]> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    const messages: { body: unknown; headers: Record<string, unknown> }[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: false });
      if (!message) break;
      messages.push({
        body: JSON.parse(message.content.toString('utf8')) as unknown,
        headers: message.properties.headers ?? {},
      });
    }
    await channel.close(); // unacked messages go back to the queue
    return messages;
  } finally {
    await connection.close();
  }
}

/** Removes the per-file queues (and exchange, unless null) so the shared broker does not fill up across runs. */
export async function deleteAmqpNames(url: string, exchange: string | null, queues: string[]): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) {
      for (const name of [queue, `${queue}.dead`]) await channel.deleteQueue(name);
      for (const delay of [20, 50, 100, 1000, 10000, 60000]) await channel.deleteQueue(`${queue}.retry.${delay}ms`);
    }
    if (exchange) await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

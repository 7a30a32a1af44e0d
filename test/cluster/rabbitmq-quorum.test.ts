import { writeSync } from 'node:fs';
import { createLogger, Metrics } from '@pitlane/core';
import { createEvent, EventBus } from '@pitlane/events';
import { randomId, waitFor } from '@pitlane/testing';
import { z } from 'zod';

import { clusterControl, sleep } from './cluster-control';

/**
 * A three-node RabbitMQ cluster (scripts/cluster/rabbitmq-cluster.sh, ports 5681-5683), quorum
 * queues. A publisher and two competing workers each know all three nodes; while events flow, node 1
 * is killed (-9), brought back, then node 2 is stopped. Every event must be consumed, exactly once
 * after dedupe by event id, and every client must end up on a surviving node.
 */
const NODES = [5681, 5682, 5683].map((port) => `amqp://guest:guest@127.0.0.1:${port}`);
const rotate = (by: number) => [...NODES.slice(by), ...NODES.slice(0, by)];
const logger = createLogger('cluster-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const id = randomId();
const EXCHANGE = `cluster.${id}`;
const QUEUE = `cluster.${id}.worker`;
const EVENTS = Number(process.env.CLUSTER_EVENTS ?? 3_000);

function bus(urls: string[], name: string): EventBus {
  return new EventBus({
    url: urls[0]!,
    urls,
    exchange: EXCHANGE,
    queue: QUEUE,
    logger,
    metrics: new Metrics(name, { defaultMetrics: false }),
    queueType: 'quorum',
    deliveryLimit: 10,
    prefetch: 20,
    retryDelaysMs: [200],
    reconnectInitialMs: 200,
    reconnectMaxMs: 1_000,
    publishTimeoutMs: 3_000,
  });
}

describe('RabbitMQ cluster with quorum queues', () => {
  const buses: EventBus[] = [];
  afterAll(async () => {
    for (const b of buses) await b.close();
  });

  it('when nodes fail under load, one after the other, then every event is consumed exactly once after dedupe and clients move to surviving nodes', async () => {
    const deliveries = new Map<string, number>();
    const byWorker: Record<string, number> = {};
    const workers = [bus(rotate(0), 'worker-a'), bus(rotate(1), 'worker-b')];
    workers.forEach((worker, i) => {
      const label = `worker-${i}`;
      worker.subscribe('cluster.ping', z.object({ n: z.number() }), async (event) => {
        deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1);
        byWorker[label] = (byWorker[label] ?? 0) + 1;
      });
    });
    for (const worker of workers) await worker.start();
    const publisher = bus(rotate(0), 'publisher');
    buses.push(...workers, publisher);
    await publisher.start();
    expect(workers.map((w) => w.connectedUrl)).toEqual(['amqp://127.0.0.1:5681', 'amqp://127.0.0.1:5682']);

    // an outbox relay's behaviour: an event is retried until the broker confirms it
    let publishRetries = 0;
    const sent: string[] = [];
    const publishing = (async () => {
      for (let n = 0; n < EVENTS; n++) {
        const event = createEvent('cluster-test', { type: 'cluster.ping', data: { n }, organisationId: 'o', garageId: 'g' });
        for (;;) {
          try {
            await publisher.publish(event);
            break;
          } catch (error) {
            if (process.env.CLUSTER_DEBUG && publishRetries % 5 === 0) process.stdout.write(`publish failed: ${String(error)}\n`);
            publishRetries++;
            await sleep(100);
          }
        }
        sent.push(event.id);
        if (n % 10 === 0) await sleep(5);
        if (n % 200 === 0 && process.env.CLUSTER_DEBUG) process.stdout.write(`${new Date().toISOString()} sent ${n}\n`);
      }
    })();

    const started = Date.now();
    await waitFor(() => sent.length > EVENTS / 5 || undefined, { timeoutMs: 60_000 });
    clusterControl('rabbitmq-cluster.sh', 'kill', '1'); // a crash: node 1 (publisher's and worker a's node, queue leader)
    const killedAt = sent.length;
    await waitFor(() => sent.length > killedAt + EVENTS / 5 || undefined, { timeoutMs: 60_000, message: 'publishing did not resume after node 1 died' });
    expect(publisher.connectedUrl).not.toBe('amqp://127.0.0.1:5681');
    expect(workers[0]!.connectedUrl).not.toBe('amqp://127.0.0.1:5681');
    clusterControl('rabbitmq-cluster.sh', 'start', '1'); // back, rejoins; two of three again would be too few
    clusterControl('rabbitmq-cluster.sh', 'stop', '2'); // then the next node goes away
    const stoppedAt = sent.length;
    await waitFor(() => sent.length > stoppedAt + EVENTS / 10 || sent.length === EVENTS || undefined, { timeoutMs: 60_000 });
    await publishing;
    await waitFor(() => deliveries.size === EVENTS || undefined, {
      timeoutMs: 90_000,
      message: `consumed ${deliveries.size}/${EVENTS}`,
    });
    await sleep(1_000);

    const duplicates = [...deliveries.values()].reduce((sum, count) => sum + count - 1, 0);
    expect(new Set(sent).size).toBe(EVENTS);
    expect(sent.every((eventId) => deliveries.has(eventId))).toBe(true); // nothing lost
    expect(deliveries.size).toBe(EVENTS); // exactly once after dedupe by event id
    for (const client of [publisher, ...workers]) {
      expect(client.isConnected()).toBe(true);
      expect(client.connectedUrl).not.toBe('amqp://127.0.0.1:5682');
    }
    // synchronous: an async write to a pipe can be cut off when --forceExit ends the run
    writeSync(1,
      `rabbitmq cluster: ${EVENTS} events in ${Date.now() - started} ms, node 1 killed, restarted, node 2 stopped; ` +
        `publish retries ${publishRetries}, redelivered duplicates ${duplicates}, split ${JSON.stringify(byWorker)}, ` +
        `clients now on ${[publisher, ...workers].map((c) => c.connectedUrl).join(', ')}\n`,
    );
  });
});

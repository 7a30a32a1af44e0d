import { createLogger, healthRouter } from '@pitlane/core';
import { createEvent, outboxPlugin, withEvents, type EventEnvelope } from '@pitlane/events';
import { deleteAmqpNames, infraUrls, startEventRecorder, testNames, waitFor } from '@pitlane/testing';
import express from 'express';
import mongoose, { Schema, type Model } from 'mongoose';
import { z } from 'zod';

import { startService, type RunningService, type RuntimeConfig, type ServiceDefinition } from '@pitlane/runtime';

const names = testNames(__filename);
const { amqpUrl, mongoUrl } = infraUrls();
const logger = createLogger('roles-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const SERVICE = 'orders';

interface Order {
  _id: string;
  outbox?: EventEnvelope[];
}
interface Models {
  Order: Model<Order>;
}

/** One service: POST /orders stores an order with its `test.order_placed` event in the same write;
 * its consumer records which process handled which event. */
function orders(
  role: 'api' | 'worker' | 'all',
  handled: Map<string, string[]>,
  label: string,
  extra: Partial<RuntimeConfig> = {},
  gate: Promise<void> = Promise.resolve(),
) {
  const definition: ServiceDefinition<Models> = {
    name: SERVICE,
    config: {
      HOST: '127.0.0.1',
      PORT: 0,
      LOG_LEVEL: 'silent',
      MONGO_URL: mongoUrl,
      MONGO_DB: names.database(SERVICE),
      AMQP_URL: amqpUrl,
      EVENTS_EXCHANGE: names.exchange,
      INTERNAL_JWT_SECRET: 'test-internal-secret-at-least-32-characters',
      BODY_LIMIT: '1mb',
      PITLANE_ROLE: role,
      RELAY_BATCH: 7,
      EVENTS_PREFETCH: 5,
      ...extra,
    },
    registerModels: (connection) => {
      const schema = new Schema<Order>({ _id: String });
      schema.plugin(outboxPlugin);
      return { Order: connection.model<Order>('Order', schema) };
    },
    outboxModels: (models) => [models.Order],
    subscribe: (bus) =>
      bus.subscribe('test.order_placed', z.object({ orderId: z.string() }), async (event) => {
        await gate;
        handled.set(event.id, [...(handled.get(event.id) ?? []), label]);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }),
    buildApp: (deps) =>
      express()
        .use(express.json())
        .use(healthRouter(deps.metrics, deps.readiness))
        .post('/orders/:id', async (req, res) => {
          const event = createEvent(SERVICE, { type: 'test.order_placed', data: { orderId: req.params.id }, organisationId: 'o1', garageId: 'g1' });
          await deps.models.Order.updateOne({ _id: req.params.id }, withEvents({}, event), { upsert: true });
          deps.relay.nudge();
          res.status(201).json({ id: req.params.id });
        }),
    queue: `${names.queuePrefix}${SERVICE}`,
    logger,
    relayPollIntervalMs: 50,
  };
  return startService(definition);
}

describe('PITLANE_ROLE: api and worker processes of one service', () => {
  const running: RunningService<Models>[] = [];

  afterAll(async () => {
    for (const service of running) await service.close();
    await deleteAmqpNames(amqpUrl, names.exchange, [`${names.queuePrefix}${SERVICE}`]);
    const connection = await mongoose.createConnection(mongoUrl, { dbName: names.database(SERVICE) }).asPromise();
    await connection.dropDatabase();
    await connection.close();
  });

  it('when two api and two worker processes run, then every stored event is published once and handled once, only by workers', async () => {
    const recorder = await startEventRecorder(names, ['test.order_placed']);
    const handled = new Map<string, string[]>();
    const [worker1, worker2] = [await orders('worker', handled, 'worker-1'), await orders('worker', handled, 'worker-2')];
    const [api1, api2] = [await orders('api', handled, 'api-1'), await orders('api', handled, 'api-2')];
    running.push(api1, api2, worker1, worker2);
    expect([api1.role, worker1.role]).toEqual(['api', 'worker']);

    const ORDERS = 200;
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) => fetch(`${(i % 2 ? api1 : api2).url}/orders/order-${i}`, { method: 'POST' }).then((r) => r.status)),
    );
    expect(statuses.every((status) => status === 201)).toBe(true);

    await waitFor(() => handled.size === ORDERS || undefined, { timeoutMs: 20_000, message: `handled ${handled.size}/${ORDERS}` });
    await waitFor(() => recorder.ofType('test.order_placed').length >= ORDERS || undefined, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a duplicate to show up
    const elapsed = Date.now() - started;

    const published = recorder.ofType<{ orderId: string }>('test.order_placed');
    expect(published).toHaveLength(ORDERS);
    expect(new Set(published.map((event) => event.data.orderId)).size).toBe(ORDERS);
    const handlers = [...handled.values()];
    expect(handlers.every((by) => by.length === 1)).toBe(true);
    const byProcess = handlers.flat().reduce<Record<string, number>>((counts, label) => ({ ...counts, [label]: (counts[label] ?? 0) + 1 }), {});
    expect(Object.keys(byProcess).sort()).toEqual(['worker-1', 'worker-2']); // both competed, no api consumed
    expect(await worker1.relay.backlog()).toBe(0);
    process.stdout.write(`roles: ${ORDERS} orders via 2 api → 2 workers in ${elapsed} ms, split ${JSON.stringify(byProcess)}\n`);
    await recorder.stop();
  });

  it('when a process is a worker, then it serves probes and metrics but no API routes; an api process needs no broker', async () => {
    const [worker] = running.filter((service) => service.role === 'worker');
    const [api] = running.filter((service) => service.role === 'api');
    expect((await fetch(`${worker!.url}/orders/x`, { method: 'POST' })).status).toBe(404);
    const workerReady = (await (await fetch(`${worker!.url}/readyz`)).json()) as { checks: Record<string, unknown> };
    expect(Object.keys(workerReady.checks).sort()).toEqual(['draining', 'mongo', 'rabbitmq']);
    const metrics = await (await fetch(`${worker!.url}/metrics`)).text();
    expect(metrics).toMatch(/^events_queue_depth\{service="orders"\} \d+$/m);
    expect(metrics).toMatch(/^outbox_backlog\{service="orders"\} \d+$/m); // sampled by the relay at most every 2 s
    const apiReady = (await (await fetch(`${api!.url}/readyz`)).json()) as { status: string; checks: Record<string, unknown> };
    expect(apiReady.status).toBe('ready');
    expect(Object.keys(apiReady.checks).sort()).toEqual(['draining', 'mongo']);
    expect(api!.bus.isConnected()).toBe(false);
  });

  it('when a process is told to stop, then /readyz answers 503 (draining) during DRAIN_DELAY_MS while requests are still served', async () => {
    const handled = new Map<string, string[]>();
    const api = await orders('api', handled, 'api-draining', { DRAIN_DELAY_MS: 600 });
    running.push(api); // closing twice is the same close
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    const closing = api.close();
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { draining: { status: string } } }).checks.draining.status).toBe('down');
    expect((await fetch(`${api.url}/orders/late-${names.id}`, { method: 'POST' })).status).toBe(201);
    await closing;
    await expect(fetch(`${api.url}/readyz`)).rejects.toThrow();
  });

  it('when the consumer prefetch is 1 and the handler is busy, then the queue-depth gauge shows the waiting events', async () => {
    // only the new, slow worker consumes from here on
    for (const other of running.filter((service) => service.role === 'worker')) await other.bus.stopConsuming();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled = new Map<string, string[]>();
    const slow = await orders('worker', handled, 'slow', { EVENTS_PREFETCH: 1 }, gate);
    running.push(slow);
    const api = running.find((service) => service.role === 'api')!;
    await Promise.all(Array.from({ length: 6 }, (_, i) => fetch(`${api.url}/orders/depth-${names.id}-${i}`, { method: 'POST' })));

    // one event held by the busy handler (prefetch 1), five ready in the queue
    await waitFor(async () => (await slow.bus.queueDepth()) === 5 || undefined, { timeoutMs: 10_000, message: 'queue depth never reached 5' });
    await waitFor(async () => /^events_queue_depth\{service="orders"\} 5$/m.test(await (await fetch(`${slow.url}/metrics`)).text()) || undefined, {
      timeoutMs: 8_000,
      intervalMs: 250,
      message: 'the gauge did not report 5',
    });
    expect(handled.size).toBe(0);
    release();
    await waitFor(() => handled.size === 6 || undefined, { timeoutMs: 10_000 });
    expect(await slow.bus.queueDepth()).toBe(0);
  });
});

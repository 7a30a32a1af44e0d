import { Metrics } from '@pitlane/core';
import { createEvent, outboxPlugin, OutboxRelay, withEvents, type EventBus, type EventEnvelope } from '@pitlane/events';
import { deleteAmqpNames, infraUrls, startTcpProxy, testNames, waitFor, type TcpProxy } from '@pitlane/testing';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { z } from 'zod';

import { newBus, silentLogger } from './helpers';

const names = testNames(__filename);
const { amqpUrl, mongoUrl } = infraUrls();
const stockAdjusted = z.object({ itemId: z.string(), quantity: z.number() });

interface Item {
  _id: string;
  quantity: number;
}

describe('transactional outbox', () => {
  let connection: Connection;
  let Items: Model<Item>;
  let consumer: EventBus;
  const received: EventEnvelope[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  function adjustment(itemId: string, quantity: number): EventEnvelope {
    return createEvent('inventory', {
      type: 'inventory.adjusted',
      data: { itemId, quantity },
      organisationId: 'org1',
      garageId: 'g1',
    });
  }

  /** The state change and its event in ONE single-document write. */
  async function adjustStock(itemId: string, delta: number): Promise<EventEnvelope> {
    const current = await Items.findById(itemId).lean();
    const event = adjustment(itemId, (current?.quantity ?? 0) + delta);
    await Items.updateOne({ _id: itemId }, withEvents<Item>({ $inc: { quantity: delta } }, event), { upsert: true });
    return event;
  }

  function relay(bus: EventBus): OutboxRelay {
    const created = new OutboxRelay({
      models: [Items],
      bus,
      logger: silentLogger,
      metrics: new Metrics('test', { defaultMetrics: false }),
      pollIntervalMs: 20,
    });
    cleanups.push(() => created.stop());
    return created;
  }

  /** Waits until everything confirmed so far has reached the consumer: a marker published now queues
   * behind every event the broker already confirmed (one queue, one consumer: FIFO), so once the marker
   * is received, any duplicate published before this call has been received too. */
  async function drained(bus: EventBus): Promise<void> {
    const marker = adjustment('marker', 0);
    await bus.publish(marker);
    await waitFor(() => received.some((event) => event.id === marker.id), { message: 'marker never arrived' });
  }

  function publisherBus(url = amqpUrl): EventBus {
    const bus = newBus(url, names.exchange, `${names.queuePrefix}publisher`);
    cleanups.push(() => bus.stop());
    return bus;
  }

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('outbox') }).asPromise();
    const schema = new Schema<Item>({ _id: String, quantity: Number });
    schema.plugin(outboxPlugin);
    Items = connection.model<Item>('Item', schema);
    consumer = newBus(amqpUrl, names.exchange, `${names.queuePrefix}consumer`);
    consumer.subscribe('inventory.adjusted', stockAdjusted, (event) => {
      received.push(event);
    });
    await consumer.start();
  });

  afterEach(async () => {
    // relays and buses of one test must not publish the next test's writes
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  afterAll(async () => {
    await consumer.stop();
    await deleteAmqpNames(amqpUrl, names.exchange, [`${names.queuePrefix}consumer`, `${names.queuePrefix}publisher`]);
    await connection.dropDatabase();
    await connection.close();
  });

  function receivedIds(ids: string[]): string[] {
    return received.filter((event) => ids.includes(event.id)).map((event) => event.id);
  }

  it('when the process dies between the write and the publish, then a fresh relay publishes the event exactly once', async () => {
    // "crash": the write happened, no relay ever ran in this process
    const event = await adjustStock('crash-item', 5);
    expect(await Items.findById('crash-item').select('+outbox').lean()).toMatchObject({ outbox: [{ id: event.id }] });

    const bus = publisherBus();
    await bus.start();
    const fresh = relay(bus);
    fresh.start();

    await waitFor(() => receivedIds([event.id]).length === 1, { message: 'event never published' });
    await waitFor(async () => (await fresh.backlog()) === 0);
    await drained(bus); // would a second copy arrive? (the relay has nothing left to publish)
    expect(receivedIds([event.id])).toEqual([event.id]);
    expect(received.find((e) => e.id === event.id)?.data).toEqual({ itemId: 'crash-item', quantity: 5 });
  });

  it('when events are written while the broker is unreachable, then they are published once it is back', async () => {
    const proxy: TcpProxy = await startTcpProxy(amqpUrl);
    cleanups.push(() => proxy.close());
    const bus = publisherBus(proxy.url);
    await bus.start();
    const running = relay(bus);
    running.start();

    proxy.cut(); // the broker "goes down" for this process
    await waitFor(() => !bus.isConnected(), { message: 'bus did not notice the outage' });
    const publish = jest.spyOn(bus, 'publish');
    const events = [await adjustStock('outage-item', 1), await adjustStock('outage-item', 2)];
    running.nudge();
    // the relay tried to publish both (a pass after the nudge) and the broker took neither
    const attempts = () =>
      publish.mock.calls.flatMap(([event], index) => (events.some((e) => e.id === event.id) ? [publish.mock.results[index]?.value] : []));
    await waitFor(
      async () => {
        const tried = attempts();
        const outcomes = await Promise.allSettled(tried);
        return tried.length >= 2 && outcomes.every((outcome) => outcome.status === 'rejected');
      },
      { message: 'the relay did not try to publish during the outage' },
    );
    publish.mockRestore();
    expect(receivedIds(events.map((e) => e.id))).toEqual([]);
    expect(await running.backlog()).toBe(2);

    proxy.restore();
    await waitFor(() => receivedIds(events.map((e) => e.id)).length === 2, {
      timeoutMs: 15_000,
      message: 'events not published after the broker came back',
    });
    expect(receivedIds(events.map((e) => e.id))).toEqual(events.map((e) => e.id)); // in order
    await waitFor(async () => (await running.backlog()) === 0);
  });

  it('when two relay instances run at once, then every event is published once and none is lost', async () => {
    const busA = publisherBus();
    const busB = publisherBus();
    await Promise.all([busA.start(), busB.start()]);
    const writes = await Promise.all(Array.from({ length: 30 }, (_, i) => adjustStock(`parallel-${i}`, 1)));
    const ids = writes.map((e) => e.id);

    const relays = [relay(busA), relay(busB)];
    const published = await Promise.all(relays.map((r) => r.runOnce()));

    expect(published[0]! + published[1]!).toBe(30);
    await waitFor(() => receivedIds(ids).length >= 30);
    await drained(busA); // both passes were confirmed before this: a duplicate would already be queued
    expect(receivedIds(ids).sort()).toEqual([...ids].sort());
  });
});


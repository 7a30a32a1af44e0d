import { Metrics } from '@pitlane/core';
import { announceOutbox, OutboxRelay, stampSequence, withEvents, type EventBus, type EventEnvelope } from '@pitlane/events';
import { infraUrls, testNames, waitFor } from '@pitlane/testing';
import mongoose, { type Connection, type Model } from 'mongoose';

import { type Item, itemEvent, itemSchema, pendingEvents, silentLogger, startedAfterFirstSweep } from './helpers';

/** Issue 16: the relay publishes what a write hands it, at once, without scanning collections; the
 * slow sweep only finds what no hand-off reached. Every relay here sweeps once at start and then not
 * for a minute, so an event published within the test went by hand-off. */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

class RecordingBus {
  published: EventEnvelope[] = [];
  async publish(event: EventEnvelope): Promise<void> {
    await Promise.resolve();
    this.published.push(event);
  }
  ids(): string[] {
    return this.published.map((event) => event.id);
  }
  asBus(): EventBus {
    return this as unknown as EventBus;
  }
}

describe('outbox hand-off', () => {
  let connection: Connection;
  let Items: Model<Item>;
  let n = 0;
  const metrics = new Metrics('test', { defaultMetrics: false });
  const relays: OutboxRelay[] = [];

  const event = itemEvent;
  const nextId = () => `h${++n}`;
  const pending = (id: string) => pendingEvents(Items, id);

  /** A started relay with a minute between sweeps; its first sweep (at start) is over on return. */
  async function started(bus: RecordingBus, instanceId?: string): Promise<OutboxRelay> {
    const relay = new OutboxRelay({ models: [Items], bus: bus.asBus(), logger: silentLogger, metrics, sweepIntervalMs: 60_000, ...(instanceId ? { instanceId } : {}) });
    relays.push(relay);
    await startedAfterFirstSweep(relay);
    return relay;
  }

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('handoff') }).asPromise();
    Items = connection.model<Item>('Item', itemSchema());
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when a document with events is saved, updated by _id, upserted or found-and-updated, then each event is published once right after its write and pulled', async () => {
    const bus = new RecordingBus();
    await started(bus);
    const saved = nextId();
    const created = new Items({ _id: saved, quantity: 1 });
    const e1 = event(saved);
    created.set('outbox', [e1]);
    await created.save();
    const e2 = event(saved);
    await Items.updateOne({ _id: saved }, withEvents<Item>({ $inc: { quantity: 1 } }, e2));
    const upserted = nextId();
    const e3 = event(upserted);
    await Items.updateOne({ _id: upserted }, withEvents<Item>({ $set: { quantity: 5 } }, e3), { upsert: true });
    const e4 = event(saved);
    await Items.findOneAndUpdate({ _id: saved }, withEvents<Item>({ $inc: { quantity: 1 } }, e4));
    const [many] = await Items.insertMany([{ _id: nextId(), quantity: 0, outbox: [event('m')] } as Item]);
    const leanId = nextId();
    const e5 = event(leanId);
    await Items.insertMany([{ _id: leanId, quantity: 0, outbox: [e5] } as Item], { lean: true });

    await waitFor(() => bus.published.length >= 6, { timeoutMs: 5_000, message: 'hand-offs not published' });
    // in write order per document (documents may interleave)
    expect(bus.published.filter((e) => (e.data as Item & { itemId: string }).itemId === saved).map((e) => e.id)).toEqual([e1, e2, e4].map((e) => e.id));
    expect(bus.ids().sort()).toEqual([e1, e2, e3, e4, e5, ...(many as unknown as { outbox: EventEnvelope[] }).outbox].map((e) => e.id).sort());
    expect(await pending(saved)).toBe(0);
    expect(await pending(upserted)).toBe(0);
    expect(await pending(many!._id)).toBe(0);
    expect(await pending(leanId)).toBe(0);
  });

  it('when a driver write is announced, then it is published; when it is not, then it waits for the sweep', async () => {
    const bus = new RecordingBus();
    const relay = await started(bus);
    const quiet = nextId();
    const announced = nextId();
    await Items.collection.insertOne({ _id: quiet as never, quantity: 1, outbox: [event(quiet)] });
    const loud = event(announced);
    await Items.collection.insertOne({ _id: announced as never, quantity: 1, outbox: [loud] });
    announceOutbox(Items, announced);
    await waitFor(() => bus.published.length === 1, { message: 'announced write not published' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bus.ids()).toEqual([loud.id]);
    expect(await pending(quiet)).toBe(1); // the lost hand-off: still stored, nothing scanned for it
    expect(await relay.runOnce()).toBe(1); // what the sweep does
    expect(await pending(quiet)).toBe(0);
  });

  it('when an update with events does not name its document, then the relay sweeps that collection at once', async () => {
    const bus = new RecordingBus();
    await started(bus);
    const id = nextId();
    await Items.create({ _id: id, code: `code-${id}`, quantity: 1 });
    const e = event(id);
    await Items.updateOne({ code: `code-${id}` }, withEvents<Item>({ $inc: { quantity: 1 } }, e));
    await waitFor(() => bus.published.length === 1, { timeoutMs: 5_000, message: 'unnamed write not swept' });
    expect(bus.ids()).toEqual([e.id]);
    const none = event('none');
    await Items.updateOne({ _id: 'missing' }, withEvents<Item>({ $inc: { quantity: 1 } }, none));
    await Items.updateMany({ code: 'nothing-matches' }, withEvents<Item>({ $inc: { quantity: 1 } }, none));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(bus.ids()).toEqual([e.id]);
  });

  it('when one aggregate is written many times in a row, then its events are published once each in sequence order', async () => {
    const bus = new RecordingBus();
    await started(bus);
    const id = nextId();
    await Items.create({ _id: id, quantity: 0 });
    for (let seq = 1; seq <= 12; seq++) {
      await Items.updateOne({ _id: id }, withEvents<Item>({ $inc: { quantity: 1 } }, ...stampSequence([event(id)], 'item', id, seq - 1)));
    }
    await waitFor(() => bus.published.length === 12, { timeoutMs: 5_000 });
    expect(bus.published.map((e) => e.aggregate?.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('when two relays get the same hand-offs, then every event is published exactly once', async () => {
    const a = new RecordingBus();
    const b = new RecordingBus();
    await started(a, 'relay-a');
    await started(b, 'relay-b');
    const writes = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const id = nextId();
        const e = event(id);
        await Items.updateOne({ _id: id }, withEvents<Item>({ $set: { quantity: 1 } }, e), { upsert: true });
        return e.id;
      }),
    );
    await waitFor(() => a.published.length + b.published.length >= 20, { timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...a.ids(), ...b.ids()].sort()).toEqual([...writes].sort());
  });

  it('when the relay has stopped, then hand-offs reach it no more', async () => {
    const bus = new RecordingBus();
    const relay = await started(bus);
    await relay.stop();
    const id = nextId();
    await Items.updateOne({ _id: id }, withEvents<Item>({ $set: { quantity: 1 } }, event(id)), { upsert: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(bus.published).toEqual([]);
    expect(await pending(id)).toBe(1);
  });
});

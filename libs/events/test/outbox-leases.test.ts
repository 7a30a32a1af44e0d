import { Metrics } from '@pitlane/core';
import { createEvent, outboxPlugin, OutboxRelay, withEvents, type EventBus, type EventEnvelope } from '@pitlane/events';
import { infraUrls, testNames, waitFor } from '@pitlane/testing';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';

import { FakeBus, silentLogger } from './helpers';

/** The outbox relay's leases against the real Mongo-wire server (issue 18): a live lease is never
 * stolen, an expired one is, the relay pulls only what the broker confirmed and only from documents
 * it still holds. The broker is a controllable stand-in here so a test can hold a publish open. */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

interface Item {
  _id: string;
  quantity: number;
  tags?: string[];
}

describe('outbox relay leases', () => {
  let connection: Connection;
  let Items: Model<Item>;
  let Others: Model<Item>;
  let n = 0;
  const metrics = new Metrics('test', { defaultMetrics: false });

  const event = (itemId: string, quantity = 1): EventEnvelope =>
    createEvent('inventory', { type: 'inventory.adjusted', data: { itemId, quantity }, organisationId: 'org1', garageId: 'g1' });

  /** One item with its pending events, written the way services do (one single-document write). */
  async function write(model: Model<Item>, count = 1): Promise<{ id: string; events: EventEnvelope[] }> {
    const id = `i${++n}`;
    const events = Array.from({ length: count }, (_, i) => event(id, i));
    await model.updateOne({ _id: id }, withEvents<Item>({ $inc: { quantity: 1 } }, ...events), { upsert: true });
    return { id, events };
  }
  const raw = (model: Model<Item>, id: string) => model.collection.findOne({ _id: id as never });
  const relay = (bus: FakeBus, extra: { leaseMs?: number; batchSize?: number; instanceId?: string; models?: Model<Item>[] } = {}) =>
    new OutboxRelay({ models: extra.models ?? [Items], bus: bus.asBus(), logger: silentLogger, metrics, pollIntervalMs: 60_000, ...extra });

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('outbox') }).asPromise();
    const schema = () => new Schema<Item>({ _id: String, quantity: Number, tags: [String] }, { versionKey: false }).plugin(outboxPlugin);
    Items = connection.model<Item>('Item', schema());
    Others = connection.model<Item>('Other', schema());
  });
  afterEach(async () => {
    await Items.deleteMany({});
    await Others.deleteMany({});
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when events are added to an update, then the update keeps its own operators and pushes', () => {
    const e1 = event('x');
    const e2 = event('x');
    expect(withEvents<Item>({ $inc: { quantity: 2 }, $push: { tags: 'a' } }, e1, e2)).toEqual({
      $inc: { quantity: 2 },
      $push: { tags: 'a', outbox: { $each: [e1, e2] } },
    });
  });

  it('when the outbox fields are read through the model, then they are hidden unless asked for', async () => {
    const { id, events } = await write(Items);
    expect(await Items.findById(id).lean()).not.toHaveProperty('outbox');
    expect(await Items.findById(id).select('+outbox').lean()).toMatchObject({ outbox: [{ id: events[0]!.id }] });
    expect(Items.schema.indexes()).toContainEqual([{ 'outbox.id': 1 }, expect.objectContaining({ sparse: true })]);
  });

  it('when a pass runs, then every pending event is published in order, pulled, and the lease given back', async () => {
    const bus = new FakeBus();
    const a = await write(Items, 3);
    const b = await write(Others, 1);
    const r = relay(bus, { models: [Items, Others] });
    expect(await r.backlog()).toBe(4);
    expect(await r.runOnce()).toBe(4);
    expect(bus.published).toEqual([...a.events, ...b.events].map((e) => e.id));
    expect(await raw(Items, a.id)).toEqual({ _id: a.id, quantity: 1, tags: [], outbox: [] });
    expect(await r.backlog()).toBe(0);
    expect(await r.runOnce()).toBe(0);
    expect(bus.published).toHaveLength(4);
  });

  it('when another relay holds a live lease, then this one publishes nothing of that document', async () => {
    const bus = new FakeBus();
    const { id } = await write(Items);
    await Items.collection.updateOne({ _id: id as never }, { $set: { outboxLeaseUntil: new Date(Date.now() + 60_000), outboxLeaseOwner: 'other:1' } });
    expect(await relay(bus).runOnce()).toBe(0);
    expect(bus.entered).toBe(0);
    expect(await raw(Items, id)).toMatchObject({ outboxLeaseOwner: 'other:1' });
  });

  it('when a lease has expired or was cleared to null, then the document is claimed and published', async () => {
    const bus = new FakeBus();
    const expired = await write(Items);
    const cleared = await write(Items);
    await Items.collection.updateOne({ _id: expired.id as never }, { $set: { outboxLeaseUntil: new Date(Date.now() - 1_000), outboxLeaseOwner: 'dead:1' } });
    await Items.collection.updateOne({ _id: cleared.id as never }, { $set: { outboxLeaseUntil: null } });
    expect(await relay(bus).runOnce()).toBe(2);
    expect(bus.published.sort()).toEqual([expired.events[0]!.id, cleared.events[0]!.id].sort());
  });

  it('when a relay is publishing, then its lease runs leaseMs from now under its own name and a second relay cannot steal it', async () => {
    const bus = new FakeBus();
    const { id, events } = await write(Items);
    bus.hold();
    const before = Date.now();
    const first = relay(bus, { leaseMs: 60_000, instanceId: 'relay-a' }).runOnce();
    await waitFor(() => bus.entered === 1);
    const leased = await raw(Items, id);
    expect(String(leased!.outboxLeaseOwner)).toMatch(/^relay-a:[0-9a-f-]{36}$/);
    const until = (leased!.outboxLeaseUntil as Date).getTime();
    expect(until).toBeGreaterThanOrEqual(before + 60_000 - 50);
    expect(until).toBeLessThanOrEqual(Date.now() + 60_000);
    const other = new FakeBus();
    expect(await relay(other, { instanceId: 'relay-b' }).runOnce()).toBe(0);
    expect(other.entered).toBe(0);
    bus.release();
    expect(await first).toBe(1);
    expect(bus.published).toEqual([events[0]!.id]);
  });

  it('when no lease time is given, then a lease lasts 30 seconds', async () => {
    const bus = new FakeBus();
    const { id } = await write(Items);
    bus.hold();
    const before = Date.now();
    const pass = relay(bus).runOnce();
    await waitFor(() => bus.entered === 1);
    const until = ((await raw(Items, id))!.outboxLeaseUntil as Date).getTime();
    expect(until - before).toBeGreaterThanOrEqual(30_000 - 50);
    expect(until - Date.now()).toBeLessThanOrEqual(30_000);
    bus.release();
    await pass;
  });

  it('when a lease expired mid-publish and another relay took the document, then the first relay leaves the new holder`s lease and events alone', async () => {
    const slow = new FakeBus();
    const { id, events } = await write(Items, 1);
    slow.hold();
    const first = relay(slow, { leaseMs: 1, instanceId: 'slow' }).runOnce();
    await waitFor(() => slow.entered === 1);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the 1 ms lease is over
    const later = await write(Items, 0); // unrelated, keeps ids apart
    const second = new FakeBus();
    second.hold();
    const takeover = relay(second, { leaseMs: 60_000, instanceId: 'fast' }).runOnce();
    await waitFor(() => second.entered === 1);
    slow.release();
    expect(await first).toBe(1);
    // the slow relay's own write must not touch a document it no longer holds
    expect(await raw(Items, id)).toMatchObject({ outboxLeaseOwner: expect.stringMatching(/^fast:/), outbox: [{ id: events[0]!.id }] });
    second.release();
    expect(await takeover).toBe(1);
    expect(await raw(Items, id)).toMatchObject({ outbox: [] });
    expect(await raw(Items, later.id)).toMatchObject({ outbox: [] });
  });

  it('when the broker refuses one event, then the pass fails, the refused event stays and the rest are pulled', async () => {
    const bus = new FakeBus();
    const { id, events } = await write(Items, 3);
    bus.fail.add(events[1]!.id);
    await expect(relay(bus).runOnce()).rejects.toThrow(`broker refused ${events[1]!.id}`);
    const left = await raw(Items, id);
    expect((left!.outbox as EventEnvelope[]).map((e) => e.id)).toEqual([events[1]!.id]);
    expect(left).not.toHaveProperty('outboxLeaseOwner'); // given back: the retry need not wait for expiry
    expect(left).not.toHaveProperty('outboxLeaseUntil');
    bus.fail.clear();
    expect(await relay(bus).runOnce()).toBe(1);
  });

  it('when a non-Error is thrown by the broker client, then the pass still fails with an Error', async () => {
    const bus = new FakeBus();
    await write(Items);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test: a client rejecting with a non-Error
    const odd = { publish: () => Promise.reject('nope') } as unknown as EventBus;
    const r = new OutboxRelay({ models: [Items], bus: odd, logger: silentLogger, metrics });
    await expect(r.runOnce()).rejects.toThrow('outbox relay pass failed');
    expect(bus.entered).toBe(0);
  });

  it('when more documents are pending than the batch size, then one pass claims only a batch per collection', async () => {
    const bus = new FakeBus();
    for (let i = 0; i < 3; i++) await write(Items);
    const r = relay(bus, { batchSize: 2 });
    expect(await r.runOnce()).toBe(2);
    expect(await r.backlog()).toBe(1);
    expect(await r.runOnce()).toBe(1);
  });

  it('when the relay is started and nudged after a write, then it publishes without waiting for the poll, and stops', async () => {
    const bus = new FakeBus();
    const r = relay(bus);
    r.start();
    r.start(); // idempotent: one loop
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { events } = await write(Items, 2);
    r.nudge();
    await waitFor(() => bus.published.length === 2, { timeoutMs: 5_000 });
    expect(bus.published).toEqual(events.map((e) => e.id));
    await r.stop();
    const after = await write(Items);
    r.nudge();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bus.published).not.toContain(after.events[0]!.id);
  });

  it('when a running relay finishes a pass, then the backlog gauge shows what is left', async () => {
    const bus = new FakeBus();
    const own = new Metrics('gauge', { defaultMetrics: false });
    await Others.updateOne({ _id: 'stuck' }, withEvents<Item>({ $set: { quantity: 1 } }, event('stuck'), event('stuck')), { upsert: true });
    await Others.collection.updateOne({ _id: 'stuck' as never }, { $set: { outboxLeaseUntil: new Date(Date.now() + 60_000), outboxLeaseOwner: 'x' } });
    const r = new OutboxRelay({ models: [Items, Others], bus: bus.asBus(), logger: silentLogger, metrics: own, pollIntervalMs: 20 });
    r.start();
    await waitFor(async () => (await own.outboxBacklog.get()).values[0]?.value === 2, { timeoutMs: 5_000 });
    await r.stop();
  });
});

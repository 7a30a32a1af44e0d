import { Metrics } from '@pitlane/core';
import { OutboxRelay, withEvents, type EventEnvelope } from '@pitlane/events';
import { infraUrls, testNames, waitFor } from '@pitlane/testing';
import mongoose, { type Connection, type Model } from 'mongoose';

import { FakeBus, type Item, itemEvent, itemSchema, pendingEvents, silentLogger, sleep, startedAfterFirstSweep } from './helpers';

/** Which writes hand their document to the relay, each on its own (issue 18): a write's events go
 * out at once, and only that document's; a write without events, or one that wrote nothing, makes
 * the relay look at nothing. A "lost" document (a driver write nobody announced) shows what the
 * relay looked at: it stays pending until the minute's sweep. */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();


describe('outbox hand-off edges', () => {
  let connection: Connection;
  let Items: Model<Item>;
  let n = 0;
  const relays: OutboxRelay[] = [];

  const event = itemEvent;
  const nextId = () => `e${++n}`;
  const pending = (id: string) => pendingEvents(Items, id);

  /** A started relay (a minute between sweeps, its start sweep over) and a lost document written after it. */
  async function startedWithLost(): Promise<{ bus: FakeBus; lost: string }> {
    const bus = new FakeBus();
    const relay = new OutboxRelay({ models: [Items], bus: bus.asBus(), logger: silentLogger, metrics: new Metrics('handoff-edges', { defaultMetrics: false }), sweepIntervalMs: 60_000 });
    relays.push(relay);
    await startedAfterFirstSweep(relay);
    const lost = nextId();
    await Items.collection.insertOne({ _id: lost as never, code: `code-${lost}`, quantity: 0, outbox: [event(lost)] });
    return { bus, lost };
  }

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('handoff-edges') }).asPromise();
    Items = connection.model<Item>('Item', itemSchema());
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
    await Items.deleteMany({});
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when a new document with events is saved, then its events go out at once, and only its own', async () => {
    const { bus, lost } = await startedWithLost();
    const id = nextId();
    const e = event(id);
    const doc = new Items({ _id: id, quantity: 1 });
    doc.set('outbox', [e]);
    await doc.save();
    await waitFor(() => bus.published.length === 1, { timeoutMs: 5_000, message: 'saved events not handed off' });
    await sleep(150);
    expect(bus.published).toEqual([e.id]);
    expect(await pending(lost)).toBe(1);
  });

  it.each([
    ['updateOne', (id: string, e: EventEnvelope) => Items.updateOne({ _id: id }, withEvents<Item>({ $inc: { quantity: 1 } }, e))],
    ['updateMany', (id: string, e: EventEnvelope) => Items.updateMany({ _id: id }, withEvents<Item>({ $inc: { quantity: 1 } }, e))],
    ['findOneAndUpdate', (id: string, e: EventEnvelope) => Items.findOneAndUpdate({ _id: id }, withEvents<Item>({ $inc: { quantity: 1 } }, e))],
    ['a document`s updateOne', async (id: string, e: EventEnvelope) => (await Items.findById(id).orFail()).updateOne(withEvents<Item>({ $inc: { quantity: 1 } }, e))],
  ])('when a document is written by _id with events through %s, then that document alone is published', async (_, update) => {
    const { bus, lost } = await startedWithLost();
    const id = nextId();
    await Items.collection.insertOne({ _id: id as never, quantity: 0 });
    const e = event(id);
    await update(id, e);
    await waitFor(() => bus.published.length === 1, { timeoutMs: 5_000 });
    await sleep(150);
    expect(bus.published).toEqual([e.id]);
    expect(await pending(lost)).toBe(1);
  });

  it('when writes carry no events, then the relay looks at nothing', async () => {
    const { bus, lost } = await startedWithLost();
    await Items.updateOne({ code: `code-${lost}` }, { $inc: { quantity: 1 } });
    await Items.updateMany({ code: `code-${lost}` }, { $inc: { quantity: 1 } });
    await Items.findOneAndUpdate({ code: `code-${lost}` }, { $inc: { quantity: 1 } });
    await Items.create({ _id: nextId(), quantity: 1 });
    await Items.insertMany([{ _id: nextId(), quantity: 1 }]);
    await Items.insertMany([{ _id: nextId(), quantity: 1 }], { lean: true });
    await sleep(300);
    expect(bus.entered).toBe(0);
    expect(await pending(lost)).toBe(1);
  });

  it('when findOneAndUpdate stores events, then they go out at once: with the raw result, and on an upsert that returns the document before (by a sweep of its collection)', async () => {
    const { bus, lost } = await startedWithLost();
    const raw = nextId();
    await Items.collection.insertOne({ _id: raw as never, quantity: 0 });
    const e1 = event(raw);
    const result = await Items.findOneAndUpdate({ _id: raw }, withEvents<Item>({ $inc: { quantity: 1 } }, e1), { includeResultMetadata: true });
    expect(result.value?._id).toBe(raw);
    await waitFor(() => bus.published.length === 1, { timeoutMs: 5_000, message: 'raw result not handed off' });
    const upserted = nextId();
    const e2 = event(upserted);
    expect(await Items.findOneAndUpdate({ _id: upserted }, withEvents<Item>({ $set: { quantity: 1 } }, e2), { upsert: true, returnDocument: 'before' })).toBeNull();
    // which document was written is unknown here, so the relay sweeps the collection: the lost one goes too
    await waitFor(() => bus.published.length === 3, { timeoutMs: 5_000, message: 'upsert without a document back not handed off' });
    expect(bus.published[0]).toBe(e1.id);
    expect(bus.published).toContain(e2.id);
    expect(await pending(lost)).toBe(0);
  });

  it('when findOneAndUpdate with events matches nothing, then it answers null and nothing is published', async () => {
    const { bus, lost } = await startedWithLost();
    expect(await Items.findOneAndUpdate({ _id: 'missing' }, withEvents<Item>({ $inc: { quantity: 1 } }, event('missing')))).toBeNull();
    await sleep(300);
    expect(bus.entered).toBe(0);
    expect(await pending(lost)).toBe(1);
  });

  it('when a document is read while the relay holds it, then the lease fields are not in it', async () => {
    const { bus } = await startedWithLost();
    bus.hold();
    const id = nextId();
    await Items.updateOne({ _id: id }, withEvents<Item>({ $set: { quantity: 1 } }, event(id)), { upsert: true });
    await waitFor(() => bus.entered === 1);
    const read = await Items.findById(id).lean();
    expect(read).toEqual({ _id: id, quantity: 1 });
    const stored = await Items.collection.findOne({ _id: id as never });
    expect(stored).toHaveProperty('outboxLeaseOwner'); // held, yet hidden from the model's reads
    bus.release();
    await waitFor(() => bus.published.length === 1);
  });
});

import { Metrics } from '@pitlane/core';
import { announceOutbox, OutboxRelay, withEvents, type OutboxRelayOptions } from '@pitlane/events';
import { infraUrls, startMongoCommandCounter, testNames, waitFor, type MongoCommandCounter, type SeenCommand } from '@pitlane/testing';
import mongoose, { type Connection, type Model } from 'mongoose';

import { FakeBus, type Item, itemEvent, itemSchema, silentLogger, sleep, startedAfterFirstSweep } from './helpers';

/** What the relay costs the database (issue 16's point: hand-offs instead of scans), read from the
 * wire: a handed-off document costs a claim, a read-back and a release, in its own collection only;
 * a write without events costs nothing; a claim that won nothing writes nothing back; the backlog
 * is counted without an extra query while the sweeps already see it. */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

const cmd = (name: string, target = 'items'): SeenCommand => ({ name, target });

describe('outbox relay cost', () => {
  let counter: MongoCommandCounter;
  let connection: Connection;
  let Items: Model<Item>;
  let Others: Model<Item>;
  let n = 0;
  const relays: OutboxRelay[] = [];

  const event = itemEvent;
  const nextId = () => `c${++n}`;

  /** A started relay over Items and Others whose start sweep is over. */
  async function started(bus: FakeBus, extra: Partial<OutboxRelayOptions> = {}): Promise<OutboxRelay> {
    const relay = new OutboxRelay({ models: [Items, Others], bus: bus.asBus(), logger: silentLogger, metrics: new Metrics('cost', { defaultMetrics: false }), sweepIntervalMs: 60_000, ...extra });
    relays.push(relay);
    await startedAfterFirstSweep(relay);
    await sleep(50); // the pass's hand-off step and the gauge
    return relay;
  }

  beforeAll(async () => {
    counter = await startMongoCommandCounter(mongoUrl);
    connection = await mongoose.createConnection(counter.url, { dbName: names.database('cost') }).asPromise();
    Items = connection.model<Item>('Item', itemSchema());
    Others = connection.model<Item>('Other', itemSchema());
    await Items.init();
    await Others.init();
  });
  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
    await Items.deleteMany({});
    await Others.deleteMany({});
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
    await counter.close();
  });

  it('when one document is handed off, then the relay claims, reads back and releases it, and touches no other collection', async () => {
    const bus = new FakeBus();
    await started(bus);
    counter.reset();
    const id = nextId();
    await Items.updateOne({ _id: id }, withEvents<Item>({ $set: { quantity: 1 } }, event(id)), { upsert: true });
    await waitFor(() => bus.published.length === 1, { timeoutMs: 5_000 });
    await sleep(150);
    // the write itself, then the relay's claim, read-back and release
    expect(counter.commands()).toEqual([cmd('update'), cmd('update'), cmd('find'), cmd('update')]);
  });

  it('when writes carry no events, then the relay sends nothing', async () => {
    const bus = new FakeBus();
    await started(bus);
    counter.reset();
    const id = nextId();
    await Items.create({ _id: id, code: `code-${id}`, quantity: 1 });
    await Items.insertMany([{ _id: nextId(), quantity: 1 }]);
    await Items.insertMany([{ _id: nextId(), quantity: 1 }], { lean: true });
    await Items.updateOne({ code: `code-${id}` }, { $inc: { quantity: 1 } });
    await Items.findOneAndUpdate({ _id: id }, { $inc: { quantity: 1 } });
    const doc = await Items.findById(id).orFail();
    doc.quantity = 9;
    await doc.save();
    await sleep(300);
    expect(counter.commands()).toEqual([cmd('insert'), cmd('insert'), cmd('insert'), cmd('update'), cmd('findAndModify'), cmd('find'), cmd('update')]);
    expect(bus.entered).toBe(0);
  });

  it('when the sweep and a hand-off find a document another relay holds, then the relay only looks: no claim at the sweep, nothing written back after the hand-off`s claim, no extra count', async () => {
    const id = nextId();
    await Items.collection.insertOne({ _id: id as never, quantity: 1, outbox: [event(id)], outboxLeaseUntil: new Date(Date.now() + 60_000), outboxLeaseOwner: 'other:1' });
    counter.reset();
    const bus = new FakeBus();
    await started(bus);
    // the start sweep: one query per collection; the backlog (1) is known from it
    expect(counter.commands()).toEqual([cmd('find'), cmd('find', 'others')]);
    counter.reset();
    announceOutbox(Items, id);
    await sleep(300);
    expect(counter.commands()).toEqual([cmd('update'), cmd('find')]);
    expect(bus.entered).toBe(0);
  });

  it('when a backlog bigger than a batch drains, then the relay does not count it with extra queries on the way', async () => {
    for (let i = 0; i < 5; i++) {
      const id = nextId();
      await Items.collection.insertOne({ _id: id as never, quantity: 1, outbox: [event(id)] });
    }
    counter.reset();
    const bus = new FakeBus();
    await started(bus, { batchSize: 2 });
    await waitFor(() => bus.published.length === 5, { timeoutMs: 5_000 });
    await sleep(150);
    expect(counter.commands().filter((c) => c.name === 'aggregate')).toEqual([]);
  });
});

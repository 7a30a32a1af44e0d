import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { createLogger, Metrics } from '@pitlane/core';
import { announceOutbox, OutboxRelay, withEvents, type EventEnvelope, type OutboxRelayOptions } from '@pitlane/events';
import { infraUrls, testNames, waitFor } from '@pitlane/testing';
import mongoose, { type Connection, type Model } from 'mongoose';

import { FakeBus, type Item, itemEvent, itemSchema, pendingEvents, silentLogger, sleep } from './helpers';

/** The running relay when things go wrong (issue 18): the broker away for a while, a document that
 * another relay is publishing handed to this one, a backlog bigger than one query. What a partner
 * and an operator see: every event once, retries that back off and say so in the log, a backlog
 * gauge that tells the truth. */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

// the test that a stopped relay is let go needs a garbage collection on demand
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('outbox relay recovery', () => {
  let connection: Connection;
  let Items: Model<Item>;
  let n = 0;
  const relays: OutboxRelay[] = [];

  const event = itemEvent;
  const pending = (id: string) => pendingEvents(Items, id);

  /** A driver write nobody announced: what a crashed process left for the sweep. */
  async function writeQuiet(count = 1): Promise<{ id: string; events: EventEnvelope[] }> {
    const id = `v${++n}`;
    const events = Array.from({ length: count }, () => event(id));
    await Items.collection.insertOne({ _id: id as never, quantity: 1, outbox: events });
    return { id, events };
  }
  function relay(bus: FakeBus, extra: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const created = new OutboxRelay({ models: [Items], bus: bus.asBus(), logger: silentLogger, metrics: new Metrics('recovery', { defaultMetrics: false }), sweepIntervalMs: 60_000, ...extra });
    relays.push(created);
    return created;
  }

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('recovery') }).asPromise();
    Items = connection.model<Item>('Item', itemSchema());
  });
  afterEach(async () => {
    for (const r of relays.splice(0)) await r.stop();
    await Items.deleteMany({});
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when the broker is away, then the relay retries after 0.5 s, 1 s, 2 s…, logs each failed pass, and publishes the event once when the broker is back', async () => {
    const bus = new FakeBus();
    bus.refuseAll = true;
    const logged: { level: string; msg: string; failures?: number; err?: { message: string } }[] = [];
    const logger = createLogger('relay', 'warn', { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
    const { id, events } = await writeQuiet();
    relay(bus, { logger }).start();
    // the first three passes, however late a loaded machine runs them: a delay only widens the gaps
    await waitFor(() => bus.asked.length >= 3 && logged.length >= 3, { timeoutMs: 10_000, message: 'fewer than three passes' });
    const [first, second, third] = bus.asked as [number, number, number];
    // 0.5 s, then 1 s between passes (the next after 2 s): neither a hot loop nor the sweep's minute
    expect(second - first).toBeGreaterThanOrEqual(450);
    expect(third - second).toBeGreaterThanOrEqual(950);
    expect(third - first).toBeLessThan(6_000);
    expect(logged.slice(0, 3).map((line) => line.failures)).toEqual([1, 2, 3]);
    expect(logged[0]).toMatchObject({ level: 'warn', msg: 'outbox relay pass failed, will retry', err: { message: `broker refused ${events[0]!.id}` } });
    bus.refuseAll = false;
    await waitFor(() => bus.published.length === 1, { timeoutMs: 6_000, message: 'not published once the broker was back' });
    await sleep(200);
    expect(bus.published).toEqual([events[0]!.id]);
    expect(await pending(id)).toBe(0);
  });

  it('when the broker refuses a pass, then the hand-offs left in the queue wait for the backoff instead of hammering it, and all go out once it is back', async () => {
    const bus = new FakeBus();
    const r = relay(bus, { batchSize: 1 });
    r.start();
    await sleep(200); // the start sweep is over
    bus.hold();
    bus.refuseAll = true;
    const writes = [];
    for (let i = 0; i < 3; i++) {
      const id = `v${++n}`;
      const e = event(id);
      await Items.updateOne({ _id: id }, withEvents<Item>({ $set: { quantity: 1 } }, e), { upsert: true });
      writes.push(e.id);
      if (i === 0) await waitFor(() => bus.entered === 1); // the others arrive while the first is out
    }
    bus.release();
    await sleep(300);
    expect(bus.entered).toBe(1);
    bus.refuseAll = false;
    await waitFor(() => bus.published.length === 3, { timeoutMs: 5_000 });
    await sleep(150);
    expect([...bus.published].sort()).toEqual([...writes].sort());
  });

  it('when a document handed to this relay is being published by another, then this relay leaves it and the event goes out once', async () => {
    const a = new FakeBus();
    const b = new FakeBus();
    const { id, events } = await writeQuiet();
    a.hold();
    const passA = relay(a, { instanceId: 'relay-a' }).runOnce();
    await waitFor(() => a.entered === 1);
    const relayB = relay(b, { instanceId: 'relay-b' });
    relayB.start();
    announceOutbox(Items, id); // the write's hand-off reaches relay B while A holds the document
    await sleep(300);
    expect(b.entered).toBe(0);
    a.release();
    expect(await passA).toBe(1);
    expect(a.published).toEqual([events[0]!.id]);
    expect(await pending(id)).toBe(0);
  });

  it('when more documents are pending than one query reads and all are held by other relays, then the backlog gauge counts every pending event', async () => {
    const own = new Metrics('gauge-cut', { defaultMetrics: false });
    await Items.collection.insertOne({ _id: 'before-the-plugin' as never, quantity: 1 }); // no outbox field at all
    for (let i = 0; i < 3; i++) {
      const { id } = await writeQuiet(2);
      await Items.collection.updateOne({ _id: id as never }, { $set: { outboxLeaseUntil: new Date(Date.now() + 60_000), outboxLeaseOwner: 'other:1' } });
    }
    const bus = new FakeBus();
    relay(bus, { batchSize: 2, metrics: own }).start();
    await waitFor(async () => (await own.outboxBacklog.get()).values[0]?.value === 6, { timeoutMs: 5_000, message: 'the gauge did not count what the query could not read' });
    expect(bus.entered).toBe(0);
  });

  it('when nothing is written, then an idle relay sleeps: no pass runs until a write or the sweep is due', async () => {
    const bus = new FakeBus();
    const r = relay(bus);
    r.start();
    await sleep(200); // the start sweep is over
    const passes = jest.spyOn(r, 'publishHandedOff');
    await sleep(300);
    expect(passes).not.toHaveBeenCalled();
    passes.mockRestore();
  });

  it('when a relay (started twice) is stopped, then nothing keeps it alive (a process or suite that starts relays again and again does not grow)', async () => {
    const stopped = async (): Promise<WeakRef<OutboxRelay>> => {
      const r = new OutboxRelay({ models: [Items], bus: new FakeBus().asBus(), logger: silentLogger, metrics: new Metrics('gc', { defaultMetrics: false }), sweepIntervalMs: 60_000 });
      r.start();
      r.start(); // a second start is a no-op: one loop, one subscription
      await sleep(100);
      await r.stop();
      return new WeakRef(r);
    };
    const ref = await stopped();
    await sleep(10);
    collectGarbage();
    await sleep(10);
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });
});

import { applyOnce } from '@pitlane/events';
import { infraUrls, testNames } from '@pitlane/testing';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';

/** Consumer-side dedupe against the real Mongo-wire server: an event applies once, a redelivery
 * changes nothing, and the window keeps the NEWEST 500 ids (issue 18: `$slice: +500` kept the oldest). */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

interface Counter {
  _id: string;
  count: number;
  log: string[];
  processedEventIds: string[];
}

describe('applyOnce', () => {
  let connection: Connection;
  let Counters: Model<Counter>;
  let n = 0;
  const doc = async (seed: Partial<Counter> = {}) => (await Counters.create({ _id: `c${++n}`, count: 0, log: [], processedEventIds: [], ...seed }))._id;

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('events') }).asPromise();
    Counters = connection.model<Counter>('Counter', new Schema({ _id: String, count: Number, log: [String], processedEventIds: [String] }, { versionKey: false }));
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when an event is delivered twice, then it applies once and the second delivery is a duplicate', async () => {
    const id = await doc();
    expect(await applyOnce(Counters, { _id: id }, { $inc: { count: 5 } }, 'e1')).toBe('handled');
    expect(await applyOnce(Counters, { _id: id }, { $inc: { count: 5 } }, 'e1')).toBe('duplicate');
    expect(await applyOnce(Counters, { _id: id }, { $inc: { count: 1 } }, 'e2')).toBe('handled');
    expect(await Counters.findById(id).lean()).toMatchObject({ count: 6, processedEventIds: ['e1', 'e2'] });
  });

  it('when the document does not exist, then the event is reported missing and nothing is created', async () => {
    expect(await applyOnce(Counters, { _id: 'ghost' }, { $inc: { count: 1 } }, 'e1')).toBe('missing');
    expect(await Counters.exists({ _id: 'ghost' })).toBeNull();
  });

  it('when the update pushes to its own array, then that push and the id record happen in the same write', async () => {
    const id = await doc();
    expect(await applyOnce(Counters, { _id: id }, { $push: { log: 'paid' } }, 'e1')).toBe('handled');
    expect(await applyOnce(Counters, { _id: id }, { $push: { log: 'paid' } }, 'e1')).toBe('duplicate');
    expect(await Counters.findById(id).lean()).toMatchObject({ log: ['paid'], processedEventIds: ['e1'] });
  });

  it('when 501 events have been applied, then the newest 500 ids are remembered and a redelivery of the newest changes nothing', async () => {
    const earlier = Array.from({ length: 499 }, (_, i) => `old${i}`);
    const id = await doc({ processedEventIds: earlier });
    expect(await applyOnce(Counters, { _id: id }, { $inc: { count: 1 } }, 'e500')).toBe('handled');
    expect(await applyOnce(Counters, { _id: id }, { $inc: { count: 1 } }, 'e501')).toBe('handled');
    const after = await Counters.findById(id).lean();
    expect(after!.processedEventIds).toHaveLength(500);
    expect(after!.processedEventIds[0]).toBe('old1'); // the oldest id dropped out of the window
    expect(after!.processedEventIds.slice(-2)).toEqual(['e500', 'e501']);
    expect(await applyOnce(Counters, { _id: id }, { $inc: { count: 1 } }, 'e501')).toBe('duplicate');
    expect(await applyOnce(Counters, { _id: id }, { $inc: { count: 1 } }, 'e500')).toBe('duplicate');
    expect((await Counters.findById(id).lean())!.count).toBe(2);
  });
});

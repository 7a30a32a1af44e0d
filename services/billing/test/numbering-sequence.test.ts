import { infraUrls, testNames } from '@pitlane/testing';
import mongoose, { type Collection, type Connection, type Model } from 'mongoose';

import { counterSchema, type CounterDoc } from '../src/data-access/counter.model';
import { insertWithNextNumber } from '../src/data-access/numbering';

/** Gap-free numbering as a partner sees it (issue 18): exact numbers in sequence, an instance far
 * behind jumps straight past the numbers others used, and a sequence that cannot advance gives up
 * with a clear error instead of looping. Each "instance" is its own connection and models. */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();
const duplicate = () => Object.assign(new Error('E11000 duplicate key'), { code: 11000 });

describe('numbering sequences', () => {
  const connections: Connection[] = [];
  let documents: Collection;
  let n = 0;

  async function instance(): Promise<Model<CounterDoc>> {
    const connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('billing') }).asPromise();
    connections.push(connection);
    return connection.model<CounterDoc>('Counter', counterSchema, 'counters');
  }

  /** Allocates one number of `counterId`, recording every number it tried. */
  const allocate = (counters: Model<CounterDoc>, counterId: string, tried: number[] = [], maxAttempts?: number) =>
    insertWithNextNumber({
      counters,
      counterId,
      ...(maxAttempts ? { maxAttempts } : {}),
      insert: async (seq) => {
        tried.push(seq);
        await documents.insertOne({ counterId, seq });
      },
    });

  beforeAll(async () => {
    await instance();
    documents = connections[0]!.collection('numbered');
    await documents.createIndex({ counterId: 1, seq: 1 }, { unique: true });
  });
  afterAll(async () => {
    await connections[0]?.dropDatabase();
    await Promise.all(connections.map((c) => c.close()));
  });

  it('when one instance numbers three documents, then they are 1, 2, 3 and the counter remembers 3', async () => {
    const counters = await instance();
    const id = `seq${++n}`;
    const got = [];
    for (let i = 0; i < 3; i++) got.push(await allocate(counters, id));
    expect(got).toEqual([{ inserted: true, seq: 1 }, { inserted: true, seq: 2 }, { inserted: true, seq: 3 }]);
    expect(await counters.findById(id).lean()).toEqual({ _id: id, seq: 3 });
  });

  it('when ten allocations of one sequence run at once in one instance, then they take 1..10 without a single collision', async () => {
    const counters = await instance();
    const id = `seq${++n}`;
    const tried: number[] = [];
    const got = await Promise.all(Array.from({ length: 10 }, () => allocate(counters, id, tried)));
    expect(got.map((r) => (r.inserted ? r.seq : 0)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(tried).toHaveLength(10);
    expect(await allocate(counters, `other${id}`)).toEqual({ inserted: true, seq: 1 }); // another sequence starts at 1
  });

  it('when more allocations arrive while earlier ones are still queued, then they wait their turn: 10 numbers, 10 inserts', async () => {
    const counters = await instance();
    const id = `seq${++n}`;
    const tried: number[] = [];
    const first = Array.from({ length: 5 }, () => allocate(counters, id, tried));
    await first[0];
    await new Promise((resolve) => setImmediate(resolve)); // the first one's queue clean-up has run
    const later = Array.from({ length: 5 }, () => allocate(counters, id, tried));
    const got = await Promise.all([...first, ...later]);
    expect(got.map((r) => (r.inserted ? r.seq : 0)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(tried).toHaveLength(10);
  });

  it('when an instance is far behind the others, then its next number is straight after the highest used', async () => {
    const [behind, ahead] = [await instance(), await instance()];
    const id = `seq${++n}`;
    expect(await allocate(behind, id)).toEqual({ inserted: true, seq: 1 });
    for (let i = 0; i < 8; i++) await allocate(ahead, id); // 2..9
    const tried: number[] = [];
    expect(await allocate(behind, id, tried, 2)).toEqual({ inserted: true, seq: 10 });
    expect(tried).toEqual([2, 10]);
  });

  it('when a number is taken but the counter never heard of it, then the collision moves the counter to it', async () => {
    const counters = await instance();
    const id = `seq${++n}`;
    await documents.insertOne({ counterId: id, seq: 1 }); // written by a process that died before the counter moved
    const tried: number[] = [];
    expect(await allocate(counters, id, tried)).toEqual({ inserted: true, seq: 2 });
    expect(tried).toEqual([1, 2]);
    expect(await counters.findById(id).lean()).toEqual({ _id: id, seq: 2 });
  });

  it('when every number collides, then allocation gives up after maxAttempts with a clear error (default 200)', async () => {
    const counters = await instance();
    const id = `seq${++n}`;
    let calls = 0;
    const stuck = (maxAttempts?: number) =>
      insertWithNextNumber({
        counters,
        counterId: id,
        ...(maxAttempts ? { maxAttempts } : {}),
        insert: () => {
          calls++;
          return Promise.reject(duplicate());
        },
      });
    await expect(stuck(3)).rejects.toThrow(`could not allocate a number for ${id} after 3 attempts`);
    expect(calls).toBe(3);
    calls = 0;
    await expect(stuck()).rejects.toThrow(`could not allocate a number for ${id} after 200 attempts`);
    expect(calls).toBe(200);
  });

  it('when the document already exists under its other unique key, then nothing is numbered; otherwise the next number is tried', async () => {
    const counters = await instance();
    const id = `seq${++n}`;
    await allocate(counters, id); // 1
    const exists = await insertWithNextNumber({ counters, counterId: id, insert: () => Promise.reject(duplicate()), alreadyExists: () => Promise.resolve(true) });
    expect(exists).toEqual({ inserted: false });
    const tried: number[] = [];
    let first = true;
    const next = await insertWithNextNumber({
      counters,
      counterId: id,
      alreadyExists: () => Promise.resolve(false),
      insert: (seq) => {
        tried.push(seq);
        if (first) {
          first = false;
          return Promise.reject(duplicate());
        }
        return Promise.resolve();
      },
    });
    expect(next).toEqual({ inserted: true, seq: 3 });
    expect(tried).toEqual([2, 3]);
  });

  it('when an insert fails for another reason, then that error is the answer at once and the queue goes on', async () => {
    const counters = await instance();
    const id = `seq${++n}`;
    let calls = 0;
    const failing = insertWithNextNumber({
      counters,
      counterId: id,
      insert: () => {
        calls++;
        return Promise.reject(new Error('connection reset'));
      },
    });
    const after = allocate(counters, id);
    await expect(failing).rejects.toThrow('connection reset');
    expect(calls).toBe(1);
    expect(await after).toEqual({ inserted: true, seq: 1 });
  });

  describe('when the counter (only a hint) cannot be written', () => {
    afterEach(() => jest.restoreAllMocks());

    it('when the hint update fails after the insert, then the document keeps its number and the answer is success', async () => {
      const counters = await instance();
      const id = `seq${++n}`;
      jest.spyOn(counters, 'updateOne').mockRejectedValue(new Error('not primary'));
      expect(await allocate(counters, id)).toEqual({ inserted: true, seq: 1 });
      expect(await allocate(counters, id)).toEqual({ inserted: true, seq: 2 }); // this instance remembers its own last number
    });

    it('when two first-time hint upserts race (11000), then the loser retries (at most 3 tries) and the number stands', async () => {
      const counters = await instance();
      const id = `seq${++n}`;
      const duplicateHint = () => Promise.reject(duplicate());
      const spy = jest.spyOn(counters, 'updateOne').mockImplementationOnce(duplicateHint as never);
      expect(await allocate(counters, id)).toEqual({ inserted: true, seq: 1 });
      expect(spy).toHaveBeenCalledTimes(2); // the retry went through
      expect(await counters.findById(id).lean()).toEqual({ _id: id, seq: 1 });
      spy.mockClear();
      spy.mockImplementation(duplicateHint as never);
      expect(await allocate(counters, id)).toEqual({ inserted: true, seq: 2 });
      expect(spy).toHaveBeenCalledTimes(3);
    });
  });
});

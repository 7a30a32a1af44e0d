import { connectMongo, ensureIndexes } from '@pitlane/mongo';
import { infraUrls, testNames } from '@pitlane/testing';
import type { Collection, Connection } from 'mongoose';

import { registerModels, type Models } from '../src/data-access/models';
import { insertGroupedWithNextNumber, insertWithNextNumber, MAX_GROUP, type NumberedInsert, type OrderedInsert } from '../src/data-access/numbering';

/** The crash cases of gap-free numbering, which no HTTP call can stage: a process dying before its
 * insert, and one dying after its insert but before the counter moved. A "restarted process" is a
 * new connection with its own models (and so none of the first one's in-memory state). */
describe('numbering across crashes', () => {
  const names = testNames(__filename);
  const connections: Connection[] = [];

  async function restartedProcess(): Promise<Models> {
    const connection = await connectMongo({ url: infraUrls().mongoUrl, dbName: names.database('billing') });
    connections.push(connection);
    const models = registerModels(connection);
    await ensureIndexes(connection);
    return models;
  }

  afterAll(async () => {
    await connections[0]?.dropDatabase();
    await Promise.all(connections.map((c) => c.close()));
  });

  const numbered = (models: Models, garageId: string, fail?: Error) =>
    insertWithNextNumber({
      counters: models.Counter,
      counterId: `${garageId}:EST`,
      insert: async (seq) => {
        if (fail) throw fail;
        await models.Estimate.collection.insertOne({ _id: `${garageId}-${seq}`, garageId, number: `EST-${seq}` } as never);
      },
    });

  it('when a process dies before its insert, then its number is not used up', async () => {
    const models = await restartedProcess();
    expect(await numbered(models, 'g-before')).toEqual({ inserted: true, seq: 1 });
    await expect(numbered(models, 'g-before', new Error('connection reset'))).rejects.toThrow('connection reset');
    const restarted = await restartedProcess();
    expect(await numbered(restarted, 'g-before')).toEqual({ inserted: true, seq: 2 });
  });

  it('when a process dies after its insert but before the counter moved, then the next process skips to the next free number', async () => {
    const models = await restartedProcess();
    await numbered(models, 'g-after');
    await numbered(models, 'g-after');
    await models.Counter.updateOne({ _id: 'g-after:EST' }, { $set: { seq: 0 } }); // the hint never saw either insert

    const restarted = await restartedProcess();
    expect(await numbered(restarted, 'g-after')).toEqual({ inserted: true, seq: 3 });
    expect((await restarted.Counter.findById('g-after:EST').lean())?.seq).toBe(3);
  });
});

/** Group commit: the invoices of one sequence that wait together are written by ONE ordered insert
 * with consecutive numbers; a collision in the middle keeps what is before it and renumbers the rest. */
describe('numbering with group commit', () => {
  const names = testNames(__filename);
  let connection: Connection;
  let models: Models;
  let documents: Collection;
  let n = 0;

  beforeAll(async () => {
    connection = await connectMongo({ url: infraUrls().mongoUrl, dbName: names.database('billing') });
    models = registerModels(connection);
    documents = connection.collection('grouped');
    await documents.createIndex({ counterId: 1, seq: 1 }, { unique: true });
    await documents.createIndex({ counterId: 1, key: 1 }, { unique: true });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** A sequence's writer that records the numbers of each ordered insert it was given. */
  function writer(counterId: string) {
    const calls: number[][] = [];
    const insertOrdered: OrderedInsert = async (docs) => {
      calls.push((docs as { seq: number }[]).map((d) => d.seq));
      await documents.insertMany(docs as never[], { ordered: true });
    };
    const request = (key: string, counters = models.Counter) =>
      insertGroupedWithNextNumber({
        counters,
        counterId,
        insertOrdered,
        alreadyExists: async () => (await documents.findOne({ counterId, key })) !== null,
        document: (seq) => Promise.resolve({ counterId, seq, key }),
      });
    return { calls, insertOrdered, request };
  }
  const seqs = (results: NumberedInsert[]) => results.map((r) => (r.inserted ? r.seq : null));

  it('when ten requests of one sequence wait together, then one ordered insert numbers them 1..10 and the hint moves once', async () => {
    const id = `grp${++n}`;
    const { calls, request } = writer(id);
    const hints = jest.spyOn(models.Counter, 'updateOne');
    const got = await Promise.all(Array.from({ length: 10 }, (_, i) => request(`k${i}`)));
    expect(seqs(got)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    expect(hints).toHaveBeenCalledTimes(1);
    hints.mockRestore();
    expect((await models.Counter.findById(id).lean())?.seq).toBe(10);
  });

  it('when requests arrive while a group is being written, then they form the next group, numbered after it', async () => {
    const id = `grp${++n}`;
    const { calls, request } = writer(id);
    const first = [request('a'), request('b'), request('c')];
    await new Promise((resolve) => setImmediate(resolve)); // the first group is being written
    const later = [request('d'), request('e')];
    expect(seqs(await Promise.all([...first, ...later]))).toEqual([1, 2, 3, 4, 5]);
    expect(calls).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('when more than MAX_GROUP requests wait, then each insert takes at most MAX_GROUP of them', async () => {
    const id = `grp${++n}`;
    const { calls, request } = writer(id);
    const full = Array.from({ length: MAX_GROUP + 1 }, (_, i) => request(`k${i}`));
    await new Promise((resolve) => setImmediate(resolve)); // the full group is being written; the next one still open
    const got = await Promise.all([...full, request('late')]);
    expect(seqs(got)).toEqual(Array.from({ length: MAX_GROUP + 2 }, (_, i) => i + 1));
    expect(calls.map((c) => c.length)).toEqual([MAX_GROUP, 2]);
  });

  it('when another instance took a number in the middle of a group, then the documents before it keep theirs and the rest go on after it', async () => {
    const id = `grp${++n}`;
    await documents.insertOne({ counterId: id, seq: 4, key: 'elsewhere' }); // the counter never heard of it
    const { calls, request } = writer(id);
    const got = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => request(key)));
    expect(seqs(got)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6], [5, 6, 7]]);
    expect((await models.Counter.findById(id).lean())?.seq).toBe(7);
  });

  it('when two instances number one sequence at once, then every number is used exactly once', async () => {
    const id = `grp${++n}`;
    const other = registerModels(await connectMongo({ url: infraUrls().mongoUrl, dbName: names.database('billing') }));
    const { request } = writer(id);
    const got = await Promise.all(Array.from({ length: 30 }, (_, i) => request(`k${i}`, i % 2 === 0 ? models.Counter : other.Counter)));
    expect(seqs(got).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await other.Counter.db.close();
  });

  it('when one source is twice in a group, then the second copy takes no number and the ones after it close the gap', async () => {
    const id = `grp${++n}`;
    const { calls, request } = writer(id);
    const got = await Promise.all(['a', 'b', 'a', 'c'].map((key) => request(key)));
    expect(got).toEqual([{ inserted: true, seq: 1 }, { inserted: true, seq: 2 }, { inserted: false }, { inserted: true, seq: 3 }]);
    expect(calls).toEqual([[1, 2, 3, 4], [3]]);
  });

  it('when a document cannot be built, then that request fails alone and takes no number', async () => {
    const id = `grp${++n}`;
    const { insertOrdered, request } = writer(id);
    const broken = insertGroupedWithNextNumber({ counters: models.Counter, counterId: id, insertOrdered, document: () => Promise.reject(new Error('invalid invoice')) });
    const [a, b, c] = await Promise.allSettled([request('a'), broken, request('c')]);
    expect(a).toEqual({ status: 'fulfilled', value: { inserted: true, seq: 1 } });
    expect(b).toEqual({ status: 'rejected', reason: new Error('invalid invoice') });
    expect(c).toEqual({ status: 'fulfilled', value: { inserted: true, seq: 2 } });
    // a group with nothing to write writes nothing
    let writes = 0;
    const brokenAlone = insertGroupedWithNextNumber({
      counters: models.Counter,
      counterId: id,
      insertOrdered: () => Promise.resolve(writes++),
      document: () => Promise.reject(new Error('invalid invoice')),
    });
    await expect(brokenAlone).rejects.toThrow('invalid invoice');
    expect(writes).toBe(0);
  });

  it('when a document of a group fails for another reason, then that is its answer; before it they are inserted, after it they go on', async () => {
    const id = `grp${++n}`;
    const { calls, request } = writer(id);
    const refused = Object.assign(new Error('document failed validation'), { code: 121, writeErrors: [{ index: 1 }] });
    const insertOrdered: OrderedInsert = async (docs) => {
      calls.push((docs as { seq: number }[]).map((d) => d.seq));
      if (calls.length === 1) {
        await documents.insertOne(docs[0] as never);
        throw refused;
      }
      await documents.insertMany(docs as never[]);
    };
    const odd = (key: string) => insertGroupedWithNextNumber({ counters: models.Counter, counterId: id, insertOrdered, document: (seq) => Promise.resolve({ counterId: id, seq, key }) });
    // the first document failing: nothing was written, so the hint is not touched either
    const firstRefused = Object.assign(new Error('document failed validation'), { code: 121, writeErrors: [{ index: 0 }] });
    const refusing: OrderedInsert = () => Promise.reject(firstRefused);
    await expect(insertGroupedWithNextNumber({ counters: models.Counter, counterId: id, insertOrdered: refusing, document: (seq) => Promise.resolve({ seq }) })).rejects.toBe(firstRefused);
    expect(await models.Counter.findById(id).lean()).toBeNull();
    const got = await Promise.allSettled([odd('a'), odd('b'), odd('c')]);
    expect(got.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual([{ inserted: true, seq: 1 }, refused, { inserted: true, seq: 2 }]);
    expect(calls).toEqual([[1, 2, 3], [2]]);
    expect(await request('d')).toEqual({ inserted: true, seq: 3 });
  });

  it('when a group write fails without saying where, then all its requests get the error and nothing is numbered', async () => {
    const id = `grp${++n}`;
    const { request } = writer(id);
    const lost = new Error('connection reset');
    let calls = 0;
    const insertOrdered: OrderedInsert = () => {
      calls++;
      return Promise.reject(lost);
    };
    const flaky = (key: string) => insertGroupedWithNextNumber({ counters: models.Counter, counterId: id, insertOrdered, document: (seq) => Promise.resolve({ counterId: id, seq, key }) });
    const got = await Promise.allSettled([flaky('a'), flaky('b')]);
    expect(got).toEqual([{ status: 'rejected', reason: lost }, { status: 'rejected', reason: lost }]);
    expect(calls).toBe(1);
    expect(await request('a')).toEqual({ inserted: true, seq: 1 });
    // a dup-key error that names no document of a group is no collision to move past either
    const unplaced = Object.assign(new Error('E11000'), { code: 11000 });
    const unplacedWriter: OrderedInsert = () => Promise.reject(unplaced);
    const stuck = (key: string) => insertGroupedWithNextNumber({ counters: models.Counter, counterId: id, insertOrdered: unplacedWriter, document: (seq) => Promise.resolve({ seq, key }) });
    expect(await Promise.allSettled([stuck('x'), stuck('y')])).toEqual([{ status: 'rejected', reason: unplaced }, { status: 'rejected', reason: unplaced }]);
  });

  it('when the counter cannot be read, then every request of the group gets the error and nothing is written', async () => {
    const id = `grp${++n}`;
    const { calls, request } = writer(id);
    const down = new Error('not primary');
    const read = jest.spyOn(models.Counter, 'findById').mockImplementationOnce(() => {
      throw down;
    });
    expect(await Promise.allSettled([request('a'), request('b')])).toEqual([{ status: 'rejected', reason: down }, { status: 'rejected', reason: down }]);
    read.mockRestore();
    expect(calls).toEqual([]);
    expect(await request('a')).toEqual({ inserted: true, seq: 1 });
  });

  it('when a single request and grouped ones of one sequence wait together, then each keeps its own writer', async () => {
    const id = `grp${++n}`;
    const { calls, request } = writer(id);
    const single: number[] = [];
    const first = request('a');
    const alone = insertWithNextNumber({
      counters: models.Counter,
      counterId: id,
      insert: async (seq) => {
        single.push(seq);
        await documents.insertOne({ counterId: id, seq, key: 'single' });
      },
    });
    const got = await Promise.all([first, alone, request('b')]);
    expect(seqs(got)).toEqual([1, 2, 3]);
    expect(single).toEqual([2]);
    expect(calls).toEqual([[1], [3]]);
  });
});

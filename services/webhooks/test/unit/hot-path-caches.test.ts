import { TtlCache } from '../../src/data-access/ttl-cache';
import { WriteBatch } from '../../src/data-access/write-batch';
import type { mongo } from 'mongoose';

/** ids here are plain strings (a test collection), which the driver's types do not expect */
type BulkOp = mongo.AnyBulkWriteOperation;

describe('send-state cache (TtlCache)', () => {
  afterEach(() => jest.useRealTimers());

  it('when a key is read again within its time to live, then the database is asked once; after it, or after a delete, again', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new TtlCache<number>(1_000);
    let reads = 0;
    const load = () => Promise.resolve(++reads);
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    jest.setSystemTime(1_000_999);
    expect(await cache.get('a', load)).toBe(1);
    jest.setSystemTime(1_001_000);
    expect(await cache.get('a', load)).toBe(2);
    cache.delete('a');
    expect(await cache.get('a', load)).toBe(3);
  });

  it('when a read fails, then it is not kept and the next read asks again', async () => {
    const cache = new TtlCache<number>(60_000);
    await expect(cache.get('a', () => Promise.reject(new Error('db away')))).rejects.toThrow('db away');
    expect(await cache.get('a', () => Promise.resolve(7))).toBe(7);
  });

  it('when the time to live is 0, then every read goes to the database', async () => {
    const cache = new TtlCache<number>(0);
    let reads = 0;
    await cache.get('a', () => Promise.resolve(++reads));
    await cache.get('a', () => Promise.resolve(++reads));
    expect(reads).toBe(2);
  });
});

describe('batched outcome writes (WriteBatch)', () => {
  function collection(fail = false) {
    const batches: unknown[][] = [];
    return {
      batches,
      bulkWrite: (ops: unknown[]) => {
        batches.push(ops);
        return fail ? Promise.reject(new Error('write failed')) : Promise.resolve({});
      },
    };
  }

  it('when writes arrive within the delay, then they are stored in one bulkWrite and each caller learns it', async () => {
    const target = collection();
    const batch = new WriteBatch(() => target, 5, 100);
    const op = (id: string): BulkOp => ({ updateOne: { filter: { _id: id }, update: { $set: { done: true } } } }) as unknown as BulkOp;
    await Promise.all([batch.write(op('1')), batch.write(op('2')), batch.write(op('3'))]);
    expect(target.batches).toEqual([[op('1'), op('2'), op('3')]]);
  });

  it('when the batch is full, then it goes at once; flush stores the rest without waiting', async () => {
    const target = collection();
    const batch = new WriteBatch(() => target, 60_000, 2);
    const op = (id: string): BulkOp => ({ deleteOne: { filter: { _id: id } } }) as unknown as BulkOp;
    const first = [batch.write(op('1')), batch.write(op('2'))];
    const third = batch.write(op('3'));
    await Promise.all(first);
    expect(target.batches).toHaveLength(1);
    await batch.flush();
    await third;
    expect(target.batches).toEqual([[op('1'), op('2')], [op('3')]]);
  });

  it('when the bulkWrite fails, then every write of that batch rejects (the leases then run out and the attempts are retried)', async () => {
    const batch = new WriteBatch(() => collection(true), 1, 100);
    const remove = (id: string): BulkOp => ({ deleteOne: { filter: { _id: id } } }) as unknown as BulkOp;
    const writes = [batch.write(remove('1')), batch.write(remove('2'))];
    await expect(Promise.all(writes.map((w) => w.then(() => 'ok', () => 'failed')))).resolves.toEqual(['failed', 'failed']);
  });
});

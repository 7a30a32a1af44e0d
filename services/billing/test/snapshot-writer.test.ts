import { connectMongo } from '@pitlane/mongo';
import { infraUrls, testNames } from '@pitlane/testing';
import type { Connection, mongo } from 'mongoose';

import { snapshotWriter } from '../src/data-access/snapshot-writer';

/** Billing's customer/vehicle copies are written in batches (one bulk write for the upserts that
 * wait together); the newest copy must win exactly as with one write per event. */
describe('snapshot writer', () => {
  const names = testNames(__filename);
  let connection: Connection;
  let n = 0;

  beforeAll(async () => {
    connection = await connectMongo({ url: infraUrls().mongoUrl, dbName: names.database('billing') });
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  /** A writer on a fresh collection that records the size of each bulk write. */
  function writer(bulkWrite?: (operations: mongo.AnyBulkWriteOperation[]) => Promise<unknown>) {
    const collection = connection.collection(`copies${++n}`);
    const batches: number[] = [];
    const upserts = snapshotWriter(() => ({
      bulkWrite: ((operations: mongo.AnyBulkWriteOperation[], options?: mongo.BulkWriteOptions) => {
        batches.push(operations.length);
        return bulkWrite ? bulkWrite(operations) : collection.bulkWrite(operations, options);
      }) as mongo.Collection['bulkWrite'],
    }));
    return { collection, batches, upserts };
  }
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute));

  it('when upserts arrive together, then one bulk write stores them all', async () => {
    const { collection, batches, upserts } = writer();
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => upserts.upsert(`g:${i}`, at(1), { name: `copy ${i}` })));
    expect(got).toEqual(Array.from({ length: 20 }, () => 'handled'));
    expect(batches).toEqual([20]);
    expect(await collection.countDocuments({})).toBe(20);
    expect(await collection.findOne({ _id: 'g:3' } as never)).toEqual({ _id: 'g:3', name: 'copy 3', sourceAt: at(1) });
  });

  it('when upserts arrive while a batch is written, then they form the next batch', async () => {
    const { batches, upserts } = writer();
    const first = [upserts.upsert('g:a', at(1), {}), upserts.upsert('g:b', at(1), {})];
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is being written
    const later = [upserts.upsert('g:c', at(1), {})];
    expect(await Promise.all([...first, ...later])).toEqual(['handled', 'handled', 'handled']);
    expect(batches).toEqual([2, 1]);
  });

  it('when an older copy comes after a newer one, in one batch or later, then the newer stays and the older is a duplicate', async () => {
    const { collection, upserts } = writer();
    const sameBatch = await Promise.all([upserts.upsert('g:1', at(5), { name: 'new' }), upserts.upsert('g:1', at(2), { name: 'old' })]);
    expect(sameBatch).toEqual(['handled', 'duplicate']);
    expect(await upserts.upsert('g:1', at(3), { name: 'late' })).toBe('duplicate');
    expect(await collection.findOne({ _id: 'g:1' } as never)).toEqual({ _id: 'g:1', name: 'new', sourceAt: at(5) });
    // the same time again (a redelivery) and a newer one both apply
    expect(await upserts.upsert('g:1', at(5), { name: 'new' })).toBe('handled');
    expect(await upserts.upsert('g:1', at(6), { name: 'newer' })).toBe('handled');
    expect(await collection.findOne({ _id: 'g:1' } as never)).toEqual({ _id: 'g:1', name: 'newer', sourceAt: at(6) });
  });

  it('when one upsert of a batch fails, then only it gets the error; a write that names none fails them all', async () => {
    const refused = Object.assign(new Error('write failed'), { writeErrors: [{ index: 1, code: 121 }] });
    const partly = writer(() => Promise.reject(refused));
    const got = await Promise.allSettled([partly.upserts.upsert('g:a', at(1), {}), partly.upserts.upsert('g:b', at(1), {})]);
    expect(got).toEqual([{ status: 'fulfilled', value: 'handled' }, { status: 'rejected', reason: refused }]);

    const lost = new Error('connection reset');
    const failing = writer(() => Promise.reject(lost));
    const all = await Promise.allSettled([failing.upserts.upsert('g:a', at(1), {}), failing.upserts.upsert('g:b', at(1), {})]);
    expect(all).toEqual([{ status: 'rejected', reason: lost }, { status: 'rejected', reason: lost }]);
    // the writer goes on after a failed batch
    expect(await failing.upserts.upsert('g:c', at(1), {}).catch(() => 'failed again')).toBe('failed again');
    expect(failing.batches).toEqual([2, 1]);
  });
});

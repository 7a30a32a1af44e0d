import {
  addBacklog,
  asError,
  claimableFilter,
  claimFilter,
  DEFAULT_LEASE_MS,
  HandOffQueue,
  heldBy,
  leaseOwner,
  leaseUpdate,
  MAX_RETRY_DELAY_MS,
  plainId,
  pushesEvents,
  releaseUpdate,
  retryDelay,
  sweepFindings,
  updatedDocument,
  wonBy,
} from '../../src';

/** The relay's lease rules without a database (the same filters run against the stand-in in
 * outbox-leases.test.ts). */
describe('outbox lease rules', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');

  it('when looking for work, then only documents with events and no live lease qualify', () => {
    expect(claimableFilter(now)).toEqual({
      'outbox.id': { $exists: true },
      $or: [{ outboxLeaseUntil: { $exists: false } }, { outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
    });
  });

  it('when a claim over known ids is made, then its filters test the outbox or the owner before the id list (the stand-in tests keys in order over every document)', () => {
    const claim = claimFilter(['d1', 'd2'], now);
    expect(claim).toEqual({ ...claimableFilter(now), _id: { $in: ['d1', 'd2'] } });
    expect(Object.keys(claim)).toEqual(['outbox.id', '$or', '_id']);
    const held = heldBy('a:1', ['d1']);
    expect(held).toEqual({ outboxLeaseOwner: 'a:1', _id: { $in: ['d1'] } });
    expect(Object.keys(held)).toEqual(['outboxLeaseOwner', '_id']);
  });

  it('when a lease is taken, then it runs leaseMs from now under the claim`s owner, 30 s by default', () => {
    expect(leaseUpdate('a:1', now, 5_000)).toEqual({ $set: { outboxLeaseUntil: new Date('2026-11-30T12:00:05.000Z'), outboxLeaseOwner: 'a:1' } });
    expect(leaseUpdate('a:1', now).$set.outboxLeaseUntil.getTime() - now.getTime()).toBe(30_000);
    expect(DEFAULT_LEASE_MS).toBe(30_000);
    expect(leaseOwner('relay-a', 'c1')).toBe('relay-a:c1');
  });

  it('when a claim is read back, then only the documents under this claim`s owner are kept', () => {
    const docs = [{ _id: 1, outboxLeaseOwner: 'a:1' }, { _id: 2, outboxLeaseOwner: 'b:9' }, { _id: 3 }, { _id: 4, outboxLeaseOwner: 'a:1' }];
    expect(wonBy(docs, 'a:1').map((d) => d._id)).toEqual([1, 4]);
    expect(wonBy(docs, 'c:1')).toEqual([]);
  });

  it('when a pass ends, then exactly the confirmed events are pulled and the lease fields removed', () => {
    expect(releaseUpdate(['e1', 'e2'])).toEqual({ $pull: { outbox: { id: { $in: ['e1', 'e2'] } } }, $unset: { outboxLeaseUntil: '', outboxLeaseOwner: '' } });
    expect(releaseUpdate([])).toEqual({ $pull: { outbox: { id: { $in: [] } } }, $unset: { outboxLeaseUntil: '', outboxLeaseOwner: '' } });
  });

  it('when a sweep finds pending documents, then the ones without a live lease are claimable and the backlog is known unless the query was cut', () => {
    const found = [
      { _id: 'free', outbox: [{ id: 'e1' }, { id: 'e2' }] },
      { _id: 'cleared', outboxLeaseUntil: null, outbox: [{ id: 'e3' }] },
      { _id: 'expired', outboxLeaseUntil: new Date(now.getTime() - 1), outbox: [{ id: 'e4' }] },
      { _id: 'live', outboxLeaseUntil: new Date(now.getTime() + 1), outbox: [{ id: 'e5' }] },
      { _id: 'ending', outboxLeaseUntil: now, outbox: [] },
    ];
    expect(sweepFindings(found, now, 6)).toEqual({ claimable: ['free', 'cleared', 'expired'], backlog: 5 });
    expect(sweepFindings(found, now, 5)).toEqual({ claimable: ['free', 'cleared', 'expired'], backlog: null });
    expect(sweepFindings([{ _id: 'x' }], now, 2)).toEqual({ claimable: ['x'], backlog: 0 });
    expect(sweepFindings([], now, 1)).toEqual({ claimable: [], backlog: 0 });
  });

  it('when the backlogs of several collections are added, then the total is known only while every one is', () => {
    expect(addBacklog(0, 0)).toBe(0);
    expect(addBacklog(2, 3)).toBe(5);
    expect(addBacklog(null, 3)).toBeNull();
    expect(addBacklog(2, null)).toBeNull();
    expect(addBacklog(null, null)).toBeNull();
  });

  it('when the broker client rejects with something else than an Error, then the pass fails with an Error that carries it', () => {
    const error = new Error('refused');
    expect(asError(error)).toBe(error);
    const wrapped = asError('nope');
    expect(wrapped).toBeInstanceOf(Error);
    expect(wrapped.message).toBe('outbox relay pass failed');
    expect(wrapped.cause).toBe('nope');
  });

  it('when passes keep failing, then the wait doubles from the base and stops at 5 s', () => {
    expect([1, 2, 3, 4].map((failures) => retryDelay(failures, 250))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(retryDelay(5, 250)).toBe(5_000);
    expect(retryDelay(9, 250)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelay(1, 20)).toBe(40);
    expect(MAX_RETRY_DELAY_MS).toBe(5_000);
  });
});

describe('outbox hand-off queue', () => {
  it('when ids are handed off, then each collection gives them back once, in order, a batch at a time', () => {
    const queue = new HandOffQueue();
    for (const id of ['a', 'b', 'a', 'c']) queue.add(0, id);
    queue.add(1, 'x');
    expect(queue.size).toBe(4);
    expect(queue.take(0, 2)).toEqual(['a', 'b']);
    expect(queue.size).toBe(2);
    expect(queue.take(0, 2)).toEqual(['c']);
    expect(queue.take(0, 2)).toEqual([]);
    expect(queue.take(2, 5)).toEqual([]);
    expect(queue.take(1, 5)).toEqual(['x']);
    expect(queue.size).toBe(0);
  });

  it('when a collection was emptied, then ids handed off later are queued again', () => {
    const queue = new HandOffQueue();
    queue.add(0, 'a');
    queue.take(0, 10);
    queue.add(0, 'a');
    expect(queue.take(0, 10)).toEqual(['a']);
  });
});

describe('what a write handed off', () => {
  it('when an update pushes to the outbox, then it carries events; other pushes and none do not', () => {
    expect(pushesEvents({ $set: { a: 1 }, $push: { outbox: { $each: [] } } })).toBe(true);
    expect(pushesEvents({ $push: { tags: 'x' } })).toBe(false);
    expect(pushesEvents({ $set: { outbox: [] } })).toBe(false);
    expect(pushesEvents({ $push: null })).toBe(false);
    expect(pushesEvents(null)).toBe(false);
    expect(pushesEvents(undefined)).toBe(false);
  });

  it('when a filter names one _id, then that is the id; operators, null and no _id give none', () => {
    expect(plainId({ _id: 'b1', garageId: 'g' })).toBe('b1');
    expect(plainId({ _id: 0 })).toBe(0);
    const objectId = { toHexString: () => 'ab' };
    expect(plainId({ _id: objectId })).toBe(objectId);
    expect(plainId({ _id: { $in: ['a'] } })).toBeUndefined();
    expect(plainId({ _id: { a: 1, $eq: 2 } })).toBeUndefined();
    expect(plainId({ _id: null })).toBeUndefined();
    expect(plainId({ garageId: 'g' })).toBeUndefined();
    expect(plainId(undefined)).toBeUndefined();
  });

  it('when an update matched or upserted, then the written document is known; when it matched nothing, none was written', () => {
    expect(updatedDocument({ _id: 'b1' }, { matchedCount: 1, upsertedId: null })).toEqual({ id: 'b1' });
    expect(updatedDocument({ number: 7 }, { matchedCount: 1 })).toEqual({ id: undefined });
    expect(updatedDocument({ _id: 'b1' }, { matchedCount: 0, upsertedId: 'new' })).toEqual({ id: 'new' });
    expect(updatedDocument({ _id: 'b1' }, { matchedCount: 0, upsertedId: 0 })).toEqual({ id: 0 });
    expect(updatedDocument({ _id: 'b1' }, { matchedCount: 0, upsertedId: null })).toBeNull();
    expect(updatedDocument({ _id: 'b1' }, { matchedCount: 0 })).toBeNull();
    expect(updatedDocument({ _id: 'b1' }, null)).toBeNull();
  });
});

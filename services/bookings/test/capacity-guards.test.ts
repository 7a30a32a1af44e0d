import { infraUrls, testNames } from '@pitlane/testing';
import mongoose, { type Connection } from 'mongoose';

import { registerCapacityModels } from '../src/data-access/capacity.model';
import { CapacityRepository, dayKey, lockKey, slotKey } from '../src/data-access/capacity.repository';

/** The guards that keep a garage from being overbooked and a vehicle from being double-booked,
 * against the real Mongo-wire server (issue 18: each of these let a mutant through before). */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

describe('capacity counters and vehicle locks', () => {
  let connection: Connection;
  let models: ReturnType<typeof registerCapacityModels>;
  let repo: CapacityRepository;
  let n = 0;
  const key = () => dayKey(`g${++n}`, '2026-12-01');
  const meta = (k: string) => ({ garageId: k.split('|')[0]!, date: '2026-12-01', slot: null });
  const counter = async (k: string) => models.CapacityCounter.findById(k).lean();

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('bookings') }).asPromise();
    models = registerCapacityModels(connection);
    repo = new CapacityRepository(models);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when keys are built, then they are garage|date, garage|date|slot and garage|vehicle', () => {
    expect(dayKey('g1', '2026-12-01')).toBe('g1|2026-12-01');
    expect(slotKey('g1', '2026-12-01', '09:00')).toBe('g1|2026-12-01|09:00');
    expect(lockKey('g1', 'v9')).toBe('g1|v9');
  });

  it('when three bookings take a counter of capacity 2, then exactly the first two win and both claims are kept', async () => {
    const k = key();
    expect(await repo.take(k, 2, 'b1')).toBe(false); // no counter yet
    await repo.ensureCounter(k, meta(k));
    expect(await repo.take(k, 2, 'b1')).toBe(true);
    expect(await repo.take(k, 2, 'b2')).toBe(true);
    expect(await repo.take(k, 2, 'b3')).toBe(false);
    const doc = await counter(k);
    expect(doc).toMatchObject({ _id: k, garageId: meta(k).garageId, date: '2026-12-01', slot: null, booked: 2 });
    expect(doc!.claims.map((c) => c.bookingId)).toEqual(['b1', 'b2']);
  });

  it('when the same booking takes twice, then it holds one unit only', async () => {
    const k = key();
    await repo.ensureCounter(k, meta(k));
    expect(await repo.take(k, 5, 'b1')).toBe(true);
    expect(await repo.take(k, 5, 'b1')).toBe(false);
    expect(await counter(k)).toMatchObject({ booked: 1 });
  });

  it('when a booking is released twice (cancel, then the reconciler sweep), then the place is freed once', async () => {
    const k = key();
    await repo.ensureCounter(k, meta(k));
    await repo.take(k, 3, 'b1');
    await repo.take(k, 3, 'b2');
    expect(await repo.release(k, 'b1')).toBe(true);
    expect(await repo.release(k, 'b1')).toBe(false);
    expect(await repo.release(k, 'never-booked')).toBe(false);
    const doc = await counter(k);
    expect(doc!.booked).toBe(1);
    expect(doc!.claims.map((c) => c.bookingId)).toEqual(['b2']);
  });

  it('when a counter is created again, concurrently or later, then it keeps its bookings', async () => {
    const k = key();
    await Promise.all([repo.ensureCounter(k, meta(k)), repo.ensureCounter(k, meta(k)), repo.ensureCounter(k, meta(k))]);
    await repo.take(k, 3, 'b1');
    await repo.ensureCounter(k, meta(k));
    const doc = await repo.findCounter(k);
    expect(doc).toMatchObject({ booked: 1, garageId: meta(k).garageId, date: '2026-12-01', slot: null });
    expect(doc!.claims).toHaveLength(1);
    expect(await repo.findCounter('nope|2026-12-01')).toBeNull();
  });

  it('when availability reads a date range, then it returns only that garage`s counters in the range, without claims', async () => {
    const garage = `range${++n}`;
    for (const date of ['2026-11-30', '2026-12-01', '2026-12-03', '2026-12-04']) {
      await repo.ensureCounter(dayKey(garage, date), { garageId: garage, date, slot: null });
    }
    await repo.ensureCounter(dayKey(`other${n}`, '2026-12-02'), { garageId: `other${n}`, date: '2026-12-02', slot: null });
    await repo.take(dayKey(garage, '2026-12-01'), 2, 'b1');
    const found = await repo.countersBetween(garage, '2026-12-01', '2026-12-03');
    expect(found.map((c) => [c._id, c.booked]).sort()).toEqual([[dayKey(garage, '2026-12-01'), 1], [dayKey(garage, '2026-12-03'), 0]]);
    expect(found.every((c) => !('claims' in c))).toBe(true);
  });

  it('when the reconciler sweeps, then it sees counters from `since` on with a claim strictly before the cutoff', async () => {
    const garage = `sweep${++n}`;
    const old = new Date('2026-01-01T00:00:00Z');
    const cutoff = new Date('2026-06-01T00:00:00Z');
    const at = (date: string) => dayKey(garage, date);
    for (const [date, claimedAt] of [['2026-11-29', old], ['2026-11-30', old], ['2026-12-01', cutoff], ['2026-12-02', new Date()]] as const) {
      await models.CapacityCounter.create({ _id: at(date), garageId: garage, date, slot: null, booked: 1, claims: [{ bookingId: 'b', at: claimedAt }] });
    }
    const found = await repo.countersWithClaimsBefore('2026-11-30', cutoff);
    expect(found.map((c) => c._id).filter((id) => id.startsWith(`${garage}|`))).toEqual([at('2026-11-30')]);
  });

  it('when a vehicle is locked, then a second booking is refused the lock and the lock names the first', async () => {
    const vehicle = `v${++n}`;
    expect(await repo.insertLock('g1', vehicle, 'b1')).toBe(true);
    expect(await repo.insertLock('g1', vehicle, 'b2')).toBe(false);
    expect(await repo.insertLock('g2', vehicle, 'b3')).toBe(true); // another garage's lock is another lock
    expect(await repo.findLock('g1', vehicle)).toMatchObject({ _id: lockKey('g1', vehicle), garageId: 'g1', vehicleId: vehicle, bookingId: 'b1' });
    expect(await repo.findLock('g1', 'no-such-vehicle')).toBeNull();
  });

  it('when two bookings take over the same stale lock at once, then exactly one wins and holds it', async () => {
    const vehicle = `v${++n}`;
    await repo.insertLock('g1', vehicle, 'stale');
    const results = await Promise.all([repo.takeOverLock('g1', vehicle, 'stale', 'b1'), repo.takeOverLock('g1', vehicle, 'stale', 'b2')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? 'b1' : 'b2';
    expect((await repo.findLock('g1', vehicle))!.bookingId).toBe(winner);
    // a takeover naming a holder that no longer holds it changes nothing
    expect(await repo.takeOverLock('g1', vehicle, 'stale', 'b3')).toBe(false);
    expect(await repo.takeOverLock('g1', `none${n}`, 'stale', 'b3')).toBe(false);
    expect((await repo.findLock('g1', vehicle))!.bookingId).toBe(winner);
  });

  it('when a lock is taken over, then its age restarts (the new holder is not stale at once)', async () => {
    const vehicle = `v${++n}`;
    await models.VehicleLock.create({ _id: lockKey('g1', vehicle), garageId: 'g1', vehicleId: vehicle, bookingId: 'old', at: new Date('2020-01-01') });
    const before = Date.now();
    expect(await repo.takeOverLock('g1', vehicle, 'old', 'new')).toBe(true);
    expect((await repo.findLock('g1', vehicle))!.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('when a booking that does not hold the lock unlocks, then the lock stays; the holder can unlock once', async () => {
    const vehicle = `v${++n}`;
    await repo.insertLock('g1', vehicle, 'b1');
    expect(await repo.deleteLock('g1', vehicle, 'b2')).toBe(false);
    expect(await repo.findLock('g1', vehicle)).not.toBeNull();
    expect(await repo.deleteLock('g1', vehicle, 'b1')).toBe(true);
    expect(await repo.deleteLock('g1', vehicle, 'b1')).toBe(false);
    expect(await repo.findLock('g1', vehicle)).toBeNull();
  });

  it('when old locks are listed, then only those strictly older than the cutoff are returned', async () => {
    const cutoff = new Date('2021-06-01T00:00:00Z');
    const vehicles = [`old${++n}`, `edge${n}`, `new${n}`];
    const ats = [new Date('2021-01-01T00:00:00Z'), cutoff, new Date('2022-01-01T00:00:00Z')];
    await models.VehicleLock.create(vehicles.map((v, i) => ({ _id: lockKey('gl', v), garageId: 'gl', vehicleId: v, bookingId: 'b', at: ats[i] })));
    const found = (await repo.locksOlderThan(cutoff)).map((l) => l.vehicleId);
    expect(found).toContain(vehicles[0]);
    expect(found).not.toContain(vehicles[1]);
    expect(found).not.toContain(vehicles[2]);
  });

  it('when booking numbers are drawn, also by racing first callers, then they are 1, 2, 3 … without gaps or repeats', async () => {
    const name = `seq${++n}`;
    const first = await Promise.all([1, 2, 3, 4].map(() => repo.nextSequence(name)));
    expect([...first].sort()).toEqual([1, 2, 3, 4]);
    expect(await repo.nextSequence(name)).toBe(5);
    expect(await repo.nextSequence(`other${name}`)).toBe(1);
  });

  describe('when the database reports a race or a failure', () => {
    const duplicate = () => Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    afterEach(() => jest.restoreAllMocks());

    it('when a concurrent creator already inserted the counter (11000), then creating it succeeds; another error is raised', async () => {
      const k = key();
      jest.spyOn(models.CapacityCounter, 'updateOne').mockRejectedValueOnce(duplicate());
      await expect(repo.ensureCounter(k, meta(k))).resolves.toBeUndefined();
      jest.spyOn(models.CapacityCounter, 'updateOne').mockRejectedValueOnce(new Error('not primary'));
      await expect(repo.ensureCounter(k, meta(k))).rejects.toThrow('not primary');
    });

    it('when inserting a vehicle lock fails for another reason than a holder, then the failure is raised, not read as "locked"', async () => {
      jest.spyOn(models.VehicleLock, 'create').mockRejectedValueOnce(new Error('not primary'));
      await expect(repo.insertLock('g1', `v${++n}`, 'b1')).rejects.toThrow('not primary');
    });

    it('when two first draws of a sequence race (11000), then the loser retries once and gets the next number; a second race is raised', async () => {
      const name = `seq${++n}`;
      expect(await repo.nextSequence(name)).toBe(1);
      jest.spyOn(models.Sequence, 'findOneAndUpdate').mockImplementationOnce(() => {
        throw duplicate();
      });
      expect(await repo.nextSequence(name)).toBe(2);
      const spy = jest.spyOn(models.Sequence, 'findOneAndUpdate').mockImplementation(() => {
        throw duplicate();
      });
      spy.mockClear();
      await expect(repo.nextSequence(name)).rejects.toMatchObject({ code: 11000 });
      expect(spy).toHaveBeenCalledTimes(2);
      spy.mockImplementationOnce(() => {
        throw new Error('not primary');
      });
      spy.mockClear();
      await expect(repo.nextSequence(name)).rejects.toThrow('not primary');
      expect(spy).toHaveBeenCalledTimes(1);
    });
  });
});

import { infraUrls, testNames } from '@pitlane/testing';
import mongoose, { type Connection } from 'mongoose';

import { registerCapacityModels } from '../src/data-access/capacity.model';
import { CapacityRepository, dayKey, lockKey, type Unit } from '../src/data-access/capacity.repository';

/** The guards that keep a garage from being overbooked and a vehicle from being double-booked,
 * against the real Mongo-wire server (issue 18: each of these let a mutant through before). */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

describe('capacity days and vehicle locks', () => {
  let connection: Connection;
  let models: ReturnType<typeof registerCapacityModels>;
  let repo: CapacityRepository;
  let n = 0;
  const DATE = '2026-12-01';
  const garage = () => `g${++n}`;
  const day = async (garageId: string, date = DATE) => models.CapacityDay.findById(dayKey(garageId, date)).lean();
  const dayOnly = (capacity: number): Unit[] => [{ slot: null, capacity }];
  const daySlot = (daily: number, slot: string, capacity: number): Unit[] => [{ slot: null, capacity: daily }, { slot, capacity }];

  beforeAll(async () => {
    connection = await mongoose.createConnection(mongoUrl, { dbName: names.database('bookings') }).asPromise();
    models = registerCapacityModels(connection);
    repo = new CapacityRepository(models);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when keys are built, then they are garage|date and garage|vehicle', () => {
    expect(dayKey('g1', DATE)).toBe('g1|2026-12-01');
    expect(lockKey('g1', 'v9')).toBe('g1|v9');
  });

  it('when three bookings take a day of capacity 2, then exactly the first two win (the first creates the day) and both claims are kept', async () => {
    const g = garage();
    expect(await day(g)).toBeNull();
    expect(await repo.take(g, DATE, dayOnly(2), 'b1')).toBe(true);
    expect(await repo.take(g, DATE, dayOnly(2), 'b2')).toBe(true);
    expect(await repo.take(g, DATE, dayOnly(2), 'b3')).toBe(false);
    const doc = await day(g);
    expect(doc).toMatchObject({ _id: dayKey(g, DATE), garageId: g, date: DATE, booked: 2 });
    expect(doc!.claims.map((c) => c.bookingId)).toEqual(['b1', 'b2']);
  });

  it('when a slot is full but the day is not, then the take is refused as a whole (neither the day nor the slot moves)', async () => {
    const g = garage();
    expect(await repo.take(g, DATE, daySlot(5, '09:00', 1), 'b1')).toBe(true);
    expect(await repo.take(g, DATE, daySlot(5, '09:00', 1), 'b2')).toBe(false);
    expect(await repo.take(g, DATE, daySlot(5, '10:00', 1), 'b3')).toBe(true);
    const doc = await day(g);
    expect(doc).toMatchObject({ booked: 2, slots: { '09:00': 1, '10:00': 1 } });
    expect(doc!.claims.map((c) => [c.bookingId, c.slot])).toEqual([['b1', null], ['b1', '09:00'], ['b3', null], ['b3', '10:00']]);
  });

  it('when many bookings race for a slot of capacity 3, then exactly 3 win', async () => {
    const g = garage();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.take(g, DATE, daySlot(20, '09:00', 3), `b${i}`)));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(await day(g)).toMatchObject({ booked: 3, slots: { '09:00': 3 } });
  });

  it('when the same booking takes twice, then it holds one unit only; it may still add a slot of the day it holds (a move within the day)', async () => {
    const g = garage();
    expect(await repo.take(g, DATE, dayOnly(5), 'b1')).toBe(true);
    expect(await repo.take(g, DATE, dayOnly(5), 'b1')).toBe(false);
    expect(await day(g)).toMatchObject({ booked: 1 });
    expect(await repo.take(g, DATE, [{ slot: '11:00', capacity: 2 }], 'b1')).toBe(true);
    expect(await repo.take(g, DATE, [{ slot: '11:00', capacity: 2 }], 'b1')).toBe(false);
    expect(await day(g)).toMatchObject({ booked: 1, slots: { '11:00': 1 } });
  });

  it('when a booking is released twice (cancel, then the reconciler sweep), then the place is freed once', async () => {
    const g = garage();
    await repo.take(g, DATE, daySlot(3, '09:00', 3), 'b1');
    await repo.take(g, DATE, daySlot(3, '09:00', 3), 'b2');
    expect(await repo.release(g, DATE, '09:00', 'b1')).toBe(true);
    expect(await repo.release(g, DATE, '09:00', 'b1')).toBe(false);
    expect(await repo.release(g, DATE, null, 'b1')).toBe(true);
    expect(await repo.release(g, DATE, null, 'b1')).toBe(false);
    expect(await repo.release(g, DATE, null, 'never-booked')).toBe(false);
    expect(await repo.release(g, '2030-01-01', null, 'b2')).toBe(false); // a day with no document
    const doc = await day(g);
    expect(doc).toMatchObject({ booked: 1, slots: { '09:00': 1 } });
    expect(doc!.claims.map((c) => [c.bookingId, c.slot])).toEqual([['b2', null], ['b2', '09:00']]);
  });

  it('when two releases of the same claim race, then exactly one frees it', async () => {
    const g = garage();
    await repo.take(g, DATE, dayOnly(3), 'b1');
    const results = await Promise.all([repo.release(g, DATE, null, 'b1'), repo.release(g, DATE, null, 'b1')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await day(g)).toMatchObject({ booked: 0, claims: [] });
  });

  it('when a day is read, then it is found by garage and date; an unknown day is null', async () => {
    const g = garage();
    await repo.take(g, DATE, dayOnly(3), 'b1');
    expect(await repo.findDay(g, DATE)).toMatchObject({ booked: 1, garageId: g, date: DATE });
    expect(await repo.findDay('nope', DATE)).toBeNull();
  });

  it('when availability reads a date range, then it returns only that garage`s days in the range, without claims', async () => {
    const g = `range${++n}`;
    for (const date of ['2026-11-30', '2026-12-01', '2026-12-03', '2026-12-04']) await repo.take(g, date, dayOnly(5), 'b1');
    await repo.take(`other${n}`, '2026-12-02', dayOnly(5), 'b1');
    await repo.take(g, '2026-12-01', dayOnly(5), 'b2');
    const found = await repo.daysBetween(g, '2026-12-01', '2026-12-03');
    expect(found.map((c) => [c._id, c.booked]).sort()).toEqual([[dayKey(g, '2026-12-01'), 2], [dayKey(g, '2026-12-03'), 1]]);
    expect(found.every((c) => !('claims' in c))).toBe(true);
  });

  it('when the reconciler sweeps, then it sees days from `since` on with a claim strictly before the cutoff', async () => {
    const g = `sweep${++n}`;
    const old = new Date('2026-01-01T00:00:00Z');
    const cutoff = new Date('2026-06-01T00:00:00Z');
    for (const [date, claimedAt] of [['2026-11-29', old], ['2026-11-30', old], ['2026-12-01', cutoff], ['2026-12-02', new Date()]] as const) {
      await models.CapacityDay.create({ _id: dayKey(g, date), garageId: g, date, booked: 1, slots: {}, claims: [{ bookingId: 'b', slot: null, at: claimedAt }] });
    }
    const found = await repo.daysWithClaimsBefore('2026-11-30', cutoff);
    expect(found.map((c) => c._id).filter((id) => id.startsWith(`${g}|`))).toEqual([dayKey(g, '2026-11-30')]);
  });

  it('when a missing day is seeded from its bookings, also twice at once, then it holds exactly those bookings; an existing day is left alone', async () => {
    const g = garage();
    const holders = [{ bookingId: 'b1', slot: '09:00' }, { bookingId: 'b2', slot: null }, { bookingId: 'b3', slot: '09:00' }];
    const created = await Promise.all([repo.seedDay(g, DATE, holders), repo.seedDay(g, DATE, holders)]);
    expect(created.filter(Boolean)).toHaveLength(1);
    const doc = await day(g);
    expect(doc).toMatchObject({ garageId: g, date: DATE, booked: 3, slots: { '09:00': 2 } });
    expect(doc!.claims).toHaveLength(5);
    expect(await repo.seedDay(g, DATE, [{ bookingId: 'b9', slot: null }])).toBe(false);
    expect(await day(g)).toMatchObject({ booked: 3 });
    expect(await repo.existingDays([dayKey(g, DATE), dayKey(g, '2030-01-01')])).toEqual(new Set([dayKey(g, DATE)]));
    expect(await repo.existingDays([])).toEqual(new Set());
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

  it('when booking number blocks are reserved, also by racing first callers, then the blocks follow each other without overlap', async () => {
    const name = `seq${++n}`;
    const first = await Promise.all([1, 2, 3, 4].map(() => repo.reserveBlock(name, 10)));
    expect([...first].sort((a, b) => a - b)).toEqual([1, 11, 21, 31]);
    expect(await repo.reserveBlock(name, 5)).toBe(41);
    expect(await repo.reserveBlock(name, 1)).toBe(46);
    expect(await repo.reserveBlock(`other${name}`, 50)).toBe(1);
  });

  describe('when the database reports a race or a failure', () => {
    const duplicate = () => Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    afterEach(() => jest.restoreAllMocks());

    it('when a full day refuses the upsert (11000), then the take is tried once more before it means full; another error is raised', async () => {
      const g = garage();
      // the take is a driver write on the collection (the seeding a mongoose one: it goes there too)
      const spy = jest.spyOn(models.CapacityDay.collection, 'updateOne').mockRejectedValueOnce(duplicate());
      expect(await repo.take(g, DATE, dayOnly(2), 'b1')).toBe(true); // the retry did it
      spy.mockRejectedValueOnce(duplicate()).mockRejectedValueOnce(duplicate());
      expect(await repo.take(g, DATE, dayOnly(2), 'b2')).toBe(false);
      spy.mockRejectedValueOnce(new Error('not primary'));
      await expect(repo.take(g, DATE, dayOnly(2), 'b2')).rejects.toThrow('not primary');
      spy.mockRejectedValueOnce(new Error('not primary'));
      await expect(repo.seedDay(garage(), DATE, [])).rejects.toThrow('not primary');
      expect(await day(g)).toMatchObject({ booked: 1 });
    });

    it('when inserting a vehicle lock fails for another reason than a holder, then the failure is raised, not read as "locked"', async () => {
      jest.spyOn(models.VehicleLock.collection, 'insertOne').mockRejectedValueOnce(new Error('not primary'));
      await expect(repo.insertLock('g1', `v${++n}`, 'b1')).rejects.toThrow('not primary');
    });

    it('when two first draws of a sequence race (11000), then the loser retries once and gets the next number; a second race is raised', async () => {
      const name = `seq${++n}`;
      expect(await repo.reserveBlock(name, 1)).toBe(1);
      jest.spyOn(models.Sequence, 'findOneAndUpdate').mockImplementationOnce(() => {
        throw duplicate();
      });
      expect(await repo.reserveBlock(name, 1)).toBe(2);
      const spy = jest.spyOn(models.Sequence, 'findOneAndUpdate').mockImplementation(() => {
        throw duplicate();
      });
      spy.mockClear();
      await expect(repo.reserveBlock(name, 1)).rejects.toMatchObject({ code: 11000 });
      expect(spy).toHaveBeenCalledTimes(2);
      spy.mockImplementationOnce(() => {
        throw new Error('not primary');
      });
      spy.mockClear();
      await expect(repo.reserveBlock(name, 1)).rejects.toThrow('not primary');
      expect(spy).toHaveBeenCalledTimes(1);
    });
  });
});

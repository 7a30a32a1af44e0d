import { infraUrls, testNames } from '@pitlane/testing';
import mongoose, { type Connection } from 'mongoose';

import { registerCapacityModels } from '../src/data-access/capacity.model';
import { CapacityRepository, dayKey, type Unit } from '../src/data-access/capacity.repository';

/** The double-claim guard and the seeding of days from existing bookings, against the real Mongo-wire
 * server (issue 18: each of these let a mutant of capacity.repository.ts through). */
const names = testNames(__filename);
const { mongoUrl } = infraUrls();

describe('capacity claims: double claims and seeded days', () => {
  let connection: Connection;
  let models: ReturnType<typeof registerCapacityModels>;
  let repo: CapacityRepository;
  let n = 0;
  const DATE = '2026-12-01';
  const garage = () => `e${++n}`;
  const day = async (garageId: string) => models.CapacityDay.findById(dayKey(garageId, DATE)).lean();
  const claimsOf = async (garageId: string) => (await day(garageId))!.claims.map((c) => [c.bookingId, c.slot]);
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

  it('when a booking still holds only a slot of the day (its day claim already swept), then it cannot take the day with another slot', async () => {
    const g = garage();
    expect(await repo.take(g, DATE, daySlot(5, '09:00', 2), 'b1')).toBe(true);
    expect(await repo.release(g, DATE, null, 'b1')).toBe(true);
    // any claim of the booking on this day refuses a take of the day: else it would hold two slots
    expect(await repo.take(g, DATE, daySlot(5, '10:00', 2), 'b1')).toBe(false);
    expect(await day(g)).toMatchObject({ booked: 0, slots: { '09:00': 1 } });
    expect(await claimsOf(g)).toEqual([['b1', '09:00']]);
    // another booking is not held back by it
    expect(await repo.take(g, DATE, daySlot(5, '10:00', 2), 'b2')).toBe(true);
    expect(await claimsOf(g)).toEqual([['b1', '09:00'], ['b2', null], ['b2', '10:00']]);
  });

  it('when a day is seeded from its bookings, then each booking can release exactly what it holds, once, and cannot claim the day twice', async () => {
    const g = garage();
    const holders = [{ bookingId: 'b1', slot: '09:00' }, { bookingId: 'b2', slot: null }, { bookingId: 'b3', slot: '09:00' }];
    expect(await repo.seedDay(g, DATE, holders)).toBe(true);
    // a seeded holder is already on the day: a second claim is refused, nothing moves
    expect(await repo.take(g, DATE, daySlot(5, '10:00', 2), 'b1')).toBe(false);
    expect(await repo.take(g, DATE, [{ slot: null, capacity: 5 }], 'b2')).toBe(false);
    expect(await day(g)).toMatchObject({ booked: 3, slots: { '09:00': 2 } });
    // cancelling b1 frees its slot and its day place, each once
    expect(await repo.release(g, DATE, '09:00', 'b1')).toBe(true);
    expect(await repo.release(g, DATE, '09:00', 'b1')).toBe(false);
    expect(await repo.release(g, DATE, null, 'b1')).toBe(true);
    expect(await repo.release(g, DATE, null, 'b1')).toBe(false);
    // b2 held the day only: its release frees a day place, and it never held a slot
    expect(await repo.release(g, DATE, '09:00', 'b2')).toBe(false);
    expect(await repo.release(g, DATE, null, 'b2')).toBe(true);
    expect(await day(g)).toMatchObject({ booked: 1, slots: { '09:00': 1 } });
    expect(await claimsOf(g)).toEqual([['b3', null], ['b3', '09:00']]);
    // the freed slot place is free for a new booking, and then the slot (capacity 2) is full again
    expect(await repo.take(g, DATE, daySlot(5, '09:00', 2), 'b4')).toBe(true);
    expect(await repo.take(g, DATE, daySlot(5, '09:00', 2), 'b5')).toBe(false);
    expect(await day(g)).toMatchObject({ booked: 2, slots: { '09:00': 2 } });
  });

  it('when another instance seeds the same day at the same moment (11000), then seeding reports "not created" rather than failing', async () => {
    const g = garage();
    const duplicate = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    const spy = jest.spyOn(models.CapacityDay, 'updateOne').mockRejectedValueOnce(duplicate);
    try {
      expect(await repo.seedDay(g, DATE, [{ bookingId: 'b1', slot: null }])).toBe(false);
    } finally {
      spy.mockRestore();
    }
    expect(await day(g)).toBeNull();
    expect(await repo.seedDay(g, DATE, [{ bookingId: 'b1', slot: null }])).toBe(true);
  });
});

import { customerWithVehicles, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const MONDAY = 1;

/**
 * Upgrading from `capacity_counters` (one document per garage-day and per slot) to `capacity_days`:
 * a database with bookings and only the old counters must not start again at zero. The service
 * rebuilds each held day from its bookings before it listens, so filling a slot through the API
 * stops at exactly its capacity.
 */
describe('capacity days rebuilt from bookings on upgrade', () => {
  let h: Harness;
  let api: Api;
  let vehicles: { id: string }[];
  let customerId: string;
  const date = futureDate(MONDAY, 3);

  const heldAt = async (slot: string) =>
    h.service.models.Booking.countDocuments({ garageId: api.garage.garageId, date, timeslot: slot, deletedAt: null, status: { $nin: ['cancelled', 'no_show'] } });
  const dayDoc = () => h.service.models.CapacityDay.findById(`${api.garage.garageId}|${date}`).lean();

  beforeAll(async () => {
    // the bookings an older version took: three in the 09:00 slot, one for the day, one cancelled
    const old = await startHarness(__filename);
    api = old.garage();
    await putSchedule(api, { dailyCapacity: 10, slotCapacity: 4 });
    const made = await customerWithVehicles(api, 8);
    vehicles = made.vehicles;
    customerId = made.customer.id;
    const book = async (i: number, timeslot?: string) => {
      const reply = await api.post('/bookings', { customerId, vehicleId: vehicles[i]!.id, date, ...(timeslot ? { timeslot } : {}) });
      if (reply.status !== 201) throw new Error(JSON.stringify(reply));
      return reply.data as { id: string; timeslot: string | null };
    };
    const held = [await book(0, '09:00'), await book(1, '09:00'), await book(2, '09:00'), await book(3)];
    const cancelled = await book(4, '09:00');
    expect((await api.post(`/bookings/${cancelled.id}/status`, { status: 'cancelled' })).status).toBe(200);
    // ... and the storage it left: counters only, no day documents
    const { connection } = old.service;
    await connection.collection('capacity_days').deleteMany({});
    const at = new Date();
    const garageId = api.garage.garageId;
    await connection.collection('capacity_counters').insertMany([
      { _id: `${garageId}|${date}` as never, garageId, date, slot: null, booked: 4, claims: held.map((b) => ({ bookingId: b.id, at })) },
      { _id: `${garageId}|${date}|09:00` as never, garageId, date, slot: '09:00', booked: 3, claims: held.slice(0, 3).map((b) => ({ bookingId: b.id, at })) },
    ]);
    await old.events.stop();
    await old.service.close();
    // the upgraded service starts on the same database
    h = await startHarness(__filename, {}, old.names);
    api = h.garage(api.garage);
  });
  afterAll(() => h.close());

  it('when the upgraded service has started, then the day holds the live bookings (not the cancelled one) with their slots', async () => {
    const day = await dayDoc();
    expect(day).toMatchObject({ booked: 4, slots: { '09:00': 3 } });
    expect(day!.claims).toHaveLength(7);
    const availability = await api.get(`/availability?dateFrom=${date}&dateTo=${date}`);
    expect(availability.data.days[0].remaining).toBe(6);
  });

  it('when the slot is then filled through the API, also concurrently, then it holds exactly its capacity', async () => {
    const replies = await Promise.all([5, 6, 7].map((i) => api.post('/bookings', { customerId, vehicleId: vehicles[i]!.id, date, timeslot: '09:00' })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.error?.code === 'SLOT_AT_CAPACITY')).toHaveLength(2);
    expect(await heldAt('09:00')).toBe(4);
    expect(await dayDoc()).toMatchObject({ booked: 5, slots: { '09:00': 4 } });
  });

  it('when the migration runs again, or twice at once on a day that lost its document, then nothing is counted twice', async () => {
    expect(await h.service.ctx.capacityDays.run()).toEqual({ seeded: 0 });
    expect(await dayDoc()).toMatchObject({ booked: 5, slots: { '09:00': 4 } });
    await h.service.models.CapacityDay.deleteOne({ _id: `${api.garage.garageId}|${date}` });
    const runs = await Promise.all([h.service.ctx.capacityDays.run(), h.service.ctx.capacityDays.run()]);
    expect(runs.reduce((sum, run) => sum + run.seeded, 0)).toBe(1);
    const day = await dayDoc();
    expect(day).toMatchObject({ booked: 5, slots: { '09:00': 4 } });
    expect(day!.claims).toHaveLength(9);
  });
});

import { waitFor } from '@pitlane/testing';

import { createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Harness } from './factories';

const MONDAY = 1;
const GRACE_MS = 1_500;

/**
 * A process that dies between claiming capacity and writing its booking leaves a claim whose booking
 * does not exist. These tests leave exactly that state in the database (as the dead process would)
 * and check that a partner is not locked out by it.
 */
describe('crash safety of capacity claims and vehicle locks', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(__filename, { CLAIM_GRACE_MS: String(GRACE_MS), RECONCILE_INTERVAL_MS: '300' });
  });
  afterAll(() => h.close());

  /** What a create that died after its claim leaves: the day (and slot) taken for a booking that never was. */
  async function leaveOrphanClaim(garageId: string, date: string, slot: string | null, ageMs: number) {
    const bookingId = `bk_crashed_${Math.random()}`;
    const at = new Date(Date.now() - ageMs);
    await h.service.models.CapacityDay.updateOne(
      { _id: `${garageId}|${date}` },
      {
        $set: { garageId, date },
        $inc: { booked: 1, ...(slot ? { [`slots.${slot}`]: 1 } : {}) },
        $push: { claims: { $each: [{ bookingId, slot: null, at }, ...(slot ? [{ bookingId, slot, at }] : [])] } },
      },
      { upsert: true },
    );
  }

  it('when a crashed create left the only place of a slot claimed, then after the grace period a new booking gets it', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 5, slotCapacity: 1 });
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const date = futureDate(MONDAY, 5);
    await leaveOrphanClaim(api.garage.garageId, date, '09:00', 60_000);
    const reply = await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date, timeslot: '09:00' });
    expect(reply.status).toBe(201);
  });

  it('when the orphan claim is younger than the grace period, then it still counts (its create may be running)', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 1, slotCapacity: 1 });
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const date = futureDate(MONDAY, 6);
    await leaveOrphanClaim(api.garage.garageId, date, null, 0);
    const reply = await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date });
    expect(reply.error?.code).toBe('DATE_AT_CAPACITY');
  });

  it('when nobody books, then the periodic reconciler still releases orphan claims and availability shows the place free', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 2 });
    const date = futureDate(MONDAY, 7);
    await leaveOrphanClaim(api.garage.garageId, date, null, 0);
    const remaining = async () => (await api.get(`/availability?dateFrom=${date}&dateTo=${date}`)).data.days[0].remaining as number;
    expect(await remaining()).toBe(1);
    await waitFor(async () => (await remaining()) === 2, { timeoutMs: 8_000 });
  });

  it('when a crashed create left a vehicle locked without a booking, then after the grace period the vehicle can be booked', async () => {
    const api = h.garage();
    await putSchedule(api);
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    await h.service.models.VehicleLock.create({
      _id: `${api.garage.garageId}|${vehicle.id}`,
      garageId: api.garage.garageId,
      vehicleId: vehicle.id,
      bookingId: 'bk_never_written',
      at: new Date(Date.now() - 60_000),
    });
    const reply = await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY) });
    expect(reply.status).toBe(201);
  });

  it('when a process died after cancelling a booking but before releasing its day and slot, then the reconciler releases them', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 1, slotCapacity: 1 });
    const customer = await createCustomer(api);
    const [first, second] = [await createVehicle(api, customer.id), await createVehicle(api, customer.id)];
    const date = futureDate(MONDAY, 8);
    const booking = await api.post('/bookings', { customerId: customer.id, vehicleId: first.id, date, timeslot: '10:00' });
    // the state such a crash leaves: the booking says cancelled, the counters still hold its claims
    // (claimed long enough ago to be past the grace period)
    await h.service.models.Booking.updateOne({ _id: booking.data.id }, { $set: { status: 'cancelled' } });
    await h.service.models.CapacityDay.updateMany(
      { 'claims.bookingId': booking.data.id },
      { $set: { 'claims.$[mine].at': new Date(Date.now() - 60_000) } },
      { arrayFilters: [{ 'mine.bookingId': booking.data.id }] },
    );
    const reply = await api.post('/bookings', { customerId: customer.id, vehicleId: second.id, date, timeslot: '10:00' });
    expect(reply.status).toBe(201);
  });
});

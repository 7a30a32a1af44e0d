import { customerWithVehicles, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const MONDAY = 1;

interface StatusChanged {
  booking: { bookingId: string; status: string };
  from: string;
  to: string;
  reason: string | null;
}

describe('booking status machine, reschedule and deletion', () => {
  let h: Harness;
  let api: Api;
  let vehicles: { id: string }[];
  let customerId: string;
  let nextVehicle = 0;

  beforeAll(async () => {
    h = await startHarness(__filename);
    api = h.garage();
    await putSchedule(api, { dailyCapacity: 50, slotCapacity: 50 });
    const fleet = await customerWithVehicles(api, 20);
    vehicles = fleet.vehicles;
    customerId = fleet.customer.id;
  });
  afterAll(() => h.close());

  async function newBooking(extra: Record<string, unknown> = {}) {
    const reply = await api.post('/bookings', { customerId, vehicleId: vehicles[nextVehicle++]!.id, date: futureDate(MONDAY), timeslot: '09:00', ...extra });
    expect(reply.status).toBe(201);
    return reply.data as { id: string; number: string; status: string };
  }

  it.each([
    [['confirmed', 'checked_in', 'in_progress', 'waiting_parts', 'in_progress', 'completed']],
    [['confirmed', 'checked_in', 'in_progress', 'waiting_parts', 'completed']],
    [['cancelled']],
    [['confirmed', 'cancelled']],
    [['confirmed', 'no_show']],
    [['confirmed', 'checked_in', 'cancelled']],
  ])('when a booking walks %j, then every step is accepted and publishes booking.status_changed', async (path) => {
    const booking = await newBooking();
    let from = 'pending';
    for (const to of path) {
      const reply = await api.post(`/bookings/${booking.id}/status`, { status: to, reason: `to ${to}` });
      expect([reply.status, reply.data?.status]).toEqual([200, to]);
      const event = await h.events.next<StatusChanged>('booking.status_changed', (e) => e.data.booking.bookingId === booking.id && e.data.to === to && e.data.from === from);
      expect(event.data).toMatchObject({ reason: `to ${to}`, booking: { status: to } });
      from = to;
    }
    const history = (await api.get(`/bookings/${booking.id}`)).data.statusHistory;
    expect(history.map((s: { to: string }) => s.to)).toEqual(path);
    if (path.at(-1) === 'cancelled') {
      await h.events.next<{ booking: { bookingId: string }; reason: string }>('booking.cancelled', (e) => e.data.booking.bookingId === booking.id);
    }
  });

  it.each([
    [[], 'completed', ['confirmed', 'cancelled']],
    [[], 'no_show', ['confirmed', 'cancelled']],
    [['confirmed', 'checked_in'], 'no_show', ['in_progress', 'cancelled']],
    [['confirmed', 'checked_in', 'in_progress'], 'cancelled', ['waiting_parts', 'completed']],
    [['cancelled'], 'confirmed', []],
    [['confirmed', 'checked_in', 'in_progress', 'completed'], 'in_progress', []],
  ])('when after %j the booking is asked to become %s, then 409 INVALID_STATUS_TRANSITION lists %j', async (before, to, allowed) => {
    const booking = await newBooking();
    for (const step of before) expect((await api.post(`/bookings/${booking.id}/status`, { status: step })).status).toBe(200);
    const reply = await api.post(`/bookings/${booking.id}/status`, { status: to });
    expect(reply.status).toBe(409);
    expect(reply.error).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', details: { to, allowed } });
    expect((await api.post(`/bookings/${booking.id}/status`, { status: 'archived' })).status).toBe(400);
  });

  it('when a booking is created, then it has a per-garage number and booking.created is published', async () => {
    const booking = await newBooking({ notes: 'rattle' });
    expect(booking.number).toMatch(/^BK-\d{6}$/);
    const event = await h.events.next<{ booking: { bookingId: string; number: string; status: string } }>('booking.created', (e) => e.data.booking.bookingId === booking.id);
    expect(event.data.booking).toMatchObject({ number: booking.number, status: 'pending' });
    const other = h.garage();
    await putSchedule(other);
    const fleet = await customerWithVehicles(other, 1);
    const first = await other.post('/bookings', { customerId: fleet.customer.id, vehicleId: fleet.vehicles[0]!.id, date: futureDate(MONDAY) });
    expect(first.data.number).toBe('BK-000001');
  });

  it('when a booking is rescheduled, then the new day and slot are taken, the old ones freed and booking.updated lists the changes', async () => {
    const small = h.garage();
    await putSchedule(small, { dailyCapacity: 5, slotCapacity: 1 });
    const fleet = await customerWithVehicles(small, 2);
    const date = futureDate(MONDAY);
    const later = futureDate(MONDAY, 3);
    const booking = await small.post('/bookings', { customerId: fleet.customer.id, vehicleId: fleet.vehicles[0]!.id, date, timeslot: '08:00' });
    const moved = await small.patch(`/bookings/${booking.data.id}`, { date: later, timeslot: '10:00' });
    expect(moved.status).toBe(200);
    expect(moved.data).toMatchObject({ date: later, timeslot: '10:00' });
    const event = await h.events.next<{ booking: { bookingId: string }; changes: string[] }>('booking.updated', (e) => e.data.booking.bookingId === booking.data.id);
    expect(event.data.changes.sort()).toEqual(['date', 'timeslot']);
    const days = (await small.get(`/availability?dateFrom=${date}&dateTo=${later}`)).data.days;
    expect(days[0]).toMatchObject({ booked: 0 });
    expect(days.at(-1).slots.find((s: { time: string }) => s.time === '10:00')).toMatchObject({ booked: 1 });
    // the old slot is free for someone else; the new one is not
    expect((await small.post('/bookings', { customerId: fleet.customer.id, vehicleId: fleet.vehicles[1]!.id, date, timeslot: '08:00' })).status).toBe(201);
    const refused = await small.patch(`/bookings/${booking.data.id}`, { date: '2020-01-06' });
    expect(refused.status).toBe(400);
    const invalid = await small.patch(`/bookings/${booking.data.id}`, { timeslot: '10:30' });
    expect(invalid.error?.code).toBe('INVALID_TIMESLOT');
  });

  it('when a checked-in booking is rescheduled, then it is refused; other fields may still change', async () => {
    const booking = await newBooking();
    await api.post(`/bookings/${booking.id}/status`, { status: 'confirmed' });
    await api.post(`/bookings/${booking.id}/status`, { status: 'checked_in' });
    const moved = await api.patch(`/bookings/${booking.id}`, { date: futureDate(MONDAY, 4) });
    expect([moved.status, moved.error?.code]).toEqual([409, 'BOOKING_NOT_EDITABLE']);
    expect((await api.patch(`/bookings/${booking.id}`, { notes: 'customer waits' })).data.notes).toBe('customer waits');
  });

  it('when deleting, then pending and confirmed bookings go (booking.deleted) and later ones are refused', async () => {
    const pending = await newBooking();
    const confirmed = await newBooking();
    const started = await newBooking();
    await api.post(`/bookings/${confirmed.id}/status`, { status: 'confirmed' });
    for (const s of ['confirmed', 'checked_in']) await api.post(`/bookings/${started.id}/status`, { status: s });

    expect((await api.delete(`/bookings/${pending.id}`)).status).toBe(204);
    expect((await api.delete(`/bookings/${confirmed.id}`)).status).toBe(204);
    const refused = await api.delete(`/bookings/${started.id}`);
    expect([refused.status, refused.error?.code]).toEqual([409, 'BOOKING_NOT_DELETABLE']);
    expect((await api.get(`/bookings/${pending.id}`)).status).toBe(404);
    expect((await api.delete(`/bookings/${pending.id}`)).status).toBe(404);
    await h.events.next<{ booking: { bookingId: string } }>('booking.deleted', (e) => e.data.booking.bookingId === confirmed.id);
  });
});

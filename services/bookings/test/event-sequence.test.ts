import type { EventEnvelope } from '@pitlane/events';
import { waitFor } from '@pitlane/testing';

import { customerWithVehicles, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const MONDAY = 1;
type BookingEvent = EventEnvelope<{ booking?: { bookingId: string }; to?: string }>;

describe('per-booking sequence numbers on booking events', () => {
  let h: Harness;
  let api: Api;
  let vehicles: { id: string }[];
  let customerId: string;

  beforeAll(async () => {
    h = await startHarness(__filename);
    api = h.garage();
    await putSchedule(api, { dailyCapacity: 50, slotCapacity: 50 });
    ({ vehicles, customer: { id: customerId } } = await customerWithVehicles(api, 2));
  });
  afterAll(() => h.close());

  const types = ['booking.created', 'booking.updated', 'booking.status_changed', 'booking.completed'];
  const eventsOf = (bookingId: string) =>
    types.flatMap((type) => h.events.ofType(type)).filter((e) => (e as BookingEvent).data.booking?.bookingId === bookingId) as BookingEvent[];

  it('when a booking is created, edited concurrently and walked to completion, then its events are numbered 1..n without gaps, in the order of the writes', async () => {
    const created = await api.post('/bookings', { customerId, vehicleId: vehicles[0]!.id, date: futureDate(MONDAY), timeslot: '09:00' });
    expect(created.status).toBe(201);
    const bookingId = created.data.id as string;
    // concurrent edits race for the same counter: none may lose its number or share one
    const edits = await Promise.all(Array.from({ length: 6 }, (_, i) => api.patch(`/bookings/${bookingId}`, { notes: `note ${i}` })));
    expect(edits.map((e) => e.status)).toEqual(Array(6).fill(200));
    for (const to of ['confirmed', 'checked_in', 'in_progress', 'completed']) {
      expect((await api.post(`/bookings/${bookingId}/status`, { status: to })).status).toBe(200);
    }
    await h.events.next('booking.completed', (e: BookingEvent) => e.data.booking?.bookingId === bookingId);
    // the booking's counter says how many events it numbered: all of them reach the broker
    const stored = await h.service.models.Booking.findById(bookingId, { eventSeq: 1 }).lean<{ eventSeq: number }>();
    expect(stored!.eventSeq).toBeGreaterThanOrEqual(1 + 6 + 4 + 1);
    await waitFor(() => eventsOf(bookingId).length === stored!.eventSeq, { message: 'booking events not all recorded' });

    const events = eventsOf(bookingId);
    const seqs = events.map((e) => e.aggregate?.seq).sort((a, b) => (a ?? 0) - (b ?? 0));
    expect(seqs).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(new Set(events.map((e) => `${e.aggregate?.type}:${e.aggregate?.id}`))).toEqual(new Set([`booking:${bookingId}`]));
    const seqOf = (type: string, to?: string) => events.find((e) => e.type === type && (to === undefined || e.data.to === to))?.aggregate?.seq ?? 0;
    expect(seqOf('booking.created')).toBe(1);
    expect(seqOf('booking.status_changed', 'confirmed')).toBeLessThan(seqOf('booking.status_changed', 'checked_in'));
    expect(seqOf('booking.status_changed', 'in_progress')).toBeLessThan(seqOf('booking.completed'));
  });
});

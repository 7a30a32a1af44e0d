import { waitFor } from '@pitlane/testing';

import { bookingCompleted, newGarage, type TestGarage } from './factories';
import { startHarness, type Harness } from './harness';

/** Invoice numbers are legal documents: per garage and year, 1..N with no gap and no repeat, whatever
 * the concurrency. These tests publish bursts and read every invoice back through the API. */
describe('invoice numbering under concurrency', () => {
  let h: Harness;
  beforeAll(async () => {
    // two instances on one database and one queue: they consume the same burst in parallel
    h = await startHarness(__filename, { instances: 2 });
  });
  afterAll(() => h.close());

  async function allInvoices(garage: TestGarage, expected: number) {
    await waitFor(async () => (await h.api(garage, 'GET', '/invoices?limit=1')).body.pagination?.total === expected, {
      timeoutMs: 20_000,
      message: `expected ${expected} invoices`,
    });
    const { body } = await h.api(garage, 'GET', '/invoices?limit=100&sort=number');
    return body.data as { number: string; bookingId: string }[];
  }

  it('when 20 bookings complete at once, then invoices are numbered 1..20 without gaps or duplicates', async () => {
    const garage = newGarage();
    const bookings = Array.from({ length: 20 }, () => bookingCompleted());
    await Promise.all(bookings.map((data) => h.publish(garage, 'booking.completed', data)));

    const invoices = await allInvoices(garage, 20);
    expect(invoices.map((i) => i.number)).toEqual(Array.from({ length: 20 }, (_, n) => `INV-2026-${String(n + 1).padStart(6, '0')}`));
    expect(new Set(invoices.map((i) => i.bookingId))).toEqual(new Set(bookings.map((b) => b.booking.bookingId)));
  });

  it('when each of 20 completions is delivered twice across two instances, then still one invoice per booking, numbered 1..20', async () => {
    const garage = newGarage();
    const bookings = Array.from({ length: 20 }, () => bookingCompleted());
    const consumedBefore = await h.consumed('booking.completed');
    // each event twice, interleaved, so the copies land on both instances at the same moment
    await Promise.all([...bookings, ...bookings].map((data) => h.publish(garage, 'booking.completed', data)));

    const invoices = await allInvoices(garage, 20);
    // wait until all 40 deliveries are finished (and all their events recorded), then make sure the stragglers created nothing
    await waitFor(async () => (await h.consumed('booking.completed')) >= consumedBefore + 40, { timeoutMs: 20_000, message: 'not every delivery was consumed' });
    await h.settle();
    const after = await allInvoices(garage, 20);
    expect(after).toEqual(invoices);
    expect(invoices.map((i) => i.number)).toEqual(Array.from({ length: 20 }, (_, n) => `INV-2026-${String(n + 1).padStart(6, '0')}`));
    expect(new Set(invoices.map((i) => i.bookingId)).size).toBe(20);

    const created = h.events.ofType<{ invoice: { bookingId: string } }>('invoice.created');
    const bookingIds = new Set(bookings.map((b) => b.booking.bookingId));
    expect(created.filter((e) => bookingIds.has(e.data.invoice.bookingId))).toHaveLength(20);
    // both instances did take part (competing consumers on one queue)
    const consumed = await Promise.all(h.instances.map((i) => i.metrics.registry.getSingleMetricAsString('events_consumed_total')));
    expect(consumed.every((text) => text.includes('booking.completed'))).toBe(true);
    expect(consumed.some((text) => text.includes('outcome="duplicate"'))).toBe(true);
    expect(consumed.some((text) => text.includes('outcome="dead_lettered"'))).toBe(false);
  });

  it('when a process died after inserting an invoice but before moving the counter, then the next invoice still gets the next number', async () => {
    const garage = newGarage();
    await h.completeBooking(garage);
    await h.completeBooking(garage);
    // the counter is only a hint: put it back as if the crash happened right after the second insert
    await h.billing.models.Counter.updateOne({ _id: `${garage.garageId}:INV:2026` }, { $set: { seq: 1 } });

    const third = await h.completeBooking(garage);
    expect(third.number).toBe('INV-2026-000003');
  });
});

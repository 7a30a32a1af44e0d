import type { EventEnvelope } from '@pitlane/events';
import { waitFor } from '@pitlane/testing';

import { SETTLED_KEYS_WINDOW } from '../src/domain/reservations';
import { itemInput, newGarage, newId } from './factories';
import { allWrittenEventsRecorded, clientFor, consumedCount, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

type Outcome = EventEnvelope<{ bookingId: string; lineId: string; itemId: string; reason?: string; quantityAvailable?: number }>;

describe('reservations from booking events', () => {
  let harness: Harness;
  let client: Client;
  const garage = newGarage();

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, garage);
  });
  afterAll(() => harness.close());

  const item = async (id: string) => (await client('GET', `/inventory/${id}`)).body.data;
  const outcomes = (type: string, bookingId: string) =>
    harness.recorder.ofType(type).filter((e) => (e as Outcome).data.bookingId === bookingId) as Outcome[];

  /** delivers the very same event (same id) twice, as a broker may, and waits until both were acked */
  async function deliverTwice(type: string, data: unknown): Promise<void> {
    const before = (await consumedCount(harness, type, 'handled')) + (await consumedCount(harness, type, 'duplicate'));
    const id = newId();
    await harness.publish(type, garage, data, id);
    await harness.publish(type, garage, data, id);
    await waitFor(async () => (await consumedCount(harness, type, 'handled')) + (await consumedCount(harness, type, 'duplicate')) === before + 2, {
      message: `${type} not consumed twice`,
    });
  }

  it('when parts are assigned (twice), then they are reserved once; when the booking completes (twice), then they are consumed once', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 5, reorderLevel: 0 }))).body.data.id as string;
    const bookingId = newId();

    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: id, quantity: 3 });

    expect(await item(id)).toMatchObject({ quantityOnHand: 5, quantityReserved: 3, quantityAvailable: 2 });
    await harness.recorder.next('inventory.reserved', (e: Outcome) => e.data.bookingId === bookingId);
    await allWrittenEventsRecorded(harness);
    expect(outcomes('inventory.reserved', bookingId)).toHaveLength(1);

    await deliverTwice('booking.completed', completed(bookingId, id));

    expect(await item(id)).toMatchObject({ quantityOnHand: 2, quantityReserved: 0, quantityAvailable: 2 });
    const ledger = await client('GET', `/inventory/${id}/movements?sort=seq`);
    expect(ledger.body.data.map((m: { reason: string; quantity: number; reservedQuantity: number }) => [m.reason, m.quantity, m.reservedQuantity])).toEqual([
      ['opening_balance', 5, 0],
      ['reserved', 0, 3],
      ['consumed', -3, -3],
    ]);
    expect(ledger.body.data[1].actor.type).toBe('event');
    await expectLedgerConsistent(client, id);
  });

  it('when assigned parts are short (twice), then inventory.reservation_failed is published once and nothing is reserved', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 2 }))).body.data.id as string;
    const bookingId = newId();

    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: id, quantity: 4 });

    const failed = await harness.recorder.next<Outcome['data']>('inventory.reservation_failed', (e) => e.data.bookingId === bookingId);
    expect(failed.data).toMatchObject({ itemId: id, quantity: 4, quantityAvailable: 2, reason: 'insufficient_stock' });
    expect(await item(id)).toMatchObject({ quantityOnHand: 2, quantityReserved: 0 });
    await allWrittenEventsRecorded(harness);
    expect(outcomes('inventory.reservation_failed', bookingId)).toHaveLength(1);
    expect(outcomes('inventory.reserved', bookingId)).toHaveLength(0);
  });

  it('when the item is unknown in the garage (twice), then one reservation_failed says unknown_item', async () => {
    const foreign = (await clientFor(harness, newGarage())('POST', '/inventory', itemInput())).body.data.id as string;
    const bookingId = newId();

    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: foreign, quantity: 1 });

    const failed = await harness.recorder.next<Outcome['data']>('inventory.reservation_failed', (e) => e.data.bookingId === bookingId);
    expect(failed.data.reason).toBe('unknown_item');
    await allWrittenEventsRecorded(harness);
    expect(outcomes('inventory.reservation_failed', bookingId)).toHaveLength(1);
  });

  it.each(['booking.cancelled', 'booking.deleted'])('when a booking with reserved parts ends with %s (twice), then they are released once', async (type) => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 6, reorderLevel: 0 }))).body.data.id as string;
    const bookingId = newId();
    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: id, quantity: 2 });
    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l2', itemId: id, quantity: 1 });
    expect((await item(id)).quantityReserved).toBe(3);

    await deliverTwice(type, type === 'booking.cancelled' ? { booking: summary(bookingId, 'cancelled'), reason: 'customer' } : { booking: summary(bookingId, 'cancelled') });

    expect(await item(id)).toMatchObject({ quantityOnHand: 6, quantityReserved: 0, quantityAvailable: 6 });
    const released = await client('GET', `/inventory/${id}/movements?reason=released`);
    expect(released.body.data.map((m: { reservedQuantity: number }) => m.reservedQuantity).sort()).toEqual([-1, -2]);
    await expectLedgerConsistent(client, id);
  });

  it('when a booking with reserved parts becomes a no-show (twice), then they are released; other status changes keep them', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 6, reorderLevel: 0 }))).body.data.id as string;
    const bookingId = newId();
    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: id, quantity: 2 });

    await deliverTwice('booking.status_changed', { booking: summary(bookingId, 'confirmed'), from: 'pending', to: 'confirmed', reason: null });
    expect((await item(id)).quantityReserved).toBe(2);

    await deliverTwice('booking.status_changed', { booking: summary(bookingId, 'no_show'), from: 'confirmed', to: 'no_show', reason: null });
    expect(await item(id)).toMatchObject({ quantityOnHand: 6, quantityReserved: 0, quantityAvailable: 6 });
    await expectLedgerConsistent(client, id);
  });

  it('when a second, different event assigns the same booking line again, then it is not reserved twice', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 6 }))).body.data.id as string;
    const bookingId = newId();
    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: id, quantity: 2 });
    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: id, quantity: 2 });

    expect((await item(id)).quantityReserved).toBe(2);
  });

  describe('when many bookings reserve and then settle on one item', () => {
    const bookings = SETTLED_KEYS_WINDOW + 15; // more than the item's window of recent settled keys
    const ending = ['booking.completed', 'booking.cancelled', 'booking.deleted'] as const;
    const seen = (type: string) => Promise.all([consumedCount(harness, type, 'handled'), consumedCount(harness, type, 'duplicate')]);
    const stored = (id: string) => harness.service.models.Item.findOne({ _id: id, garageId: garage.id }).lean();

    /** publishes all, then waits until the service acked every one of them */
    async function deliverAll(events: { type: string; data: unknown; id?: string }[]): Promise<void> {
      const types = [...new Set(events.map((e) => e.type))];
      const before = new Map(await Promise.all(types.map(async (type) => [type, (await seen(type)).reduce((a, b) => a + b)] as const)));
      await Promise.all(events.map((e) => harness.publish(e.type, garage, e.data, e.id)));
      for (const type of types) {
        const expected = before.get(type)! + events.filter((e) => e.type === type).length;
        await waitFor(async () => (await seen(type)).reduce((a, b) => a + b) === expected, { message: `${type} not all consumed`, timeoutMs: 15_000 });
      }
    }
    const ended = (type: string, bookingId: string, itemId: string) =>
      type === 'booking.completed' ? completed(bookingId, itemId) : { booking: summary(bookingId, 'cancelled'), ...(type === 'booking.cancelled' ? { reason: 'customer' } : {}) };

    it('then the item keeps only open lines and a bounded window of settled keys, quantities and ledger agree, and replaying every old event changes nothing', async () => {
      const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 1000, reorderLevel: 0 }))).body.data.id as string;
      const lines = Array.from({ length: bookings }, (_, i) => ({ bookingId: newId(), lineId: 'l1', itemId: id, quantity: 1 + (i % 3) }));
      const short = { bookingId: newId(), lineId: 'l1', itemId: id, quantity: 5000 }; // backordered
      const assigned = [...lines, short].map((data) => ({ type: 'booking.parts_assigned', data, id: newId() }));
      await deliverAll(assigned);

      const open = await stored(id);
      expect(open?.reservations).toHaveLength(bookings + 1);
      const reservedTotal = lines.reduce((sum, line) => sum + line.quantity, 0);
      expect(await item(id)).toMatchObject({ quantityOnHand: 1000, quantityReserved: reservedTotal });

      const endings = lines.map((line, i) => ({ type: ending[i % 3]!, data: ended(ending[i % 3]!, line.bookingId, id) }));
      endings.push({ type: 'booking.cancelled', data: ended('booking.cancelled', short.bookingId, id) });
      await deliverAll(endings);

      const consumed = lines.filter((_, i) => i % 3 === 0).reduce((sum, line) => sum + line.quantity, 0);
      expect(await item(id)).toMatchObject({ quantityOnHand: 1000 - consumed, quantityReserved: 0, quantityAvailable: 1000 - consumed });
      const settled = await stored(id);
      expect(settled?.reservations).toHaveLength(0);
      expect(settled?.settledKeys).toHaveLength(SETTLED_KEYS_WINDOW);
      expect(await harness.service.models.SettledReservation.countDocuments({ garageId: garage.id, itemId: id })).toBe(bookings + 1);
      const ledger = await expectLedgerConsistent(client, id);
      expect(ledger).toHaveLength(1 + 2 * bookings); // opening, one reserve and one consume/release per line

      // replay: the same deliveries again (same ids), and the same facts as new events, in every ending
      const handledBefore = await Promise.all(['booking.parts_assigned', ...ending].map((type) => consumedCount(harness, type, 'handled')));
      const outcomesOfItem = () =>
        [...harness.recorder.ofType('inventory.reserved'), ...harness.recorder.ofType('inventory.reservation_failed')].filter(
          (e) => (e as Outcome).data.itemId === id,
        ).length;
      await waitFor(() => outcomesOfItem() === bookings + 1, { message: 'reservation outcomes not all published' });
      await deliverAll([
        ...assigned,
        ...assigned.map(({ type, data }) => ({ type, data })),
        ...endings,
        ...[...lines, short].flatMap((line) => ending.map((type) => ({ type, data: ended(type, line.bookingId, id) }))),
      ]);

      expect(await Promise.all(['booking.parts_assigned', ...ending].map((type) => consumedCount(harness, type, 'handled')))).toEqual(handledBefore);
      const after = await stored(id);
      expect(after).toMatchObject({ version: settled!.version, quantityOnHand: 1000 - consumed, quantityReserved: 0, reservations: [], settledKeys: settled!.settledKeys });
      expect(await expectLedgerConsistent(client, id)).toHaveLength(ledger.length);
      await allWrittenEventsRecorded(harness);
      expect(outcomesOfItem()).toBe(bookings + 1);
    });
  });
});

function summary(bookingId: string, status: string) {
  return { bookingId, number: 'BK-000001', customerId: 'c1', vehicleId: 'v1', date: '2026-11-25', timeslot: '09:00', status, technicianId: null };
}

function completed(bookingId: string, itemId: string) {
  return {
    booking: summary(bookingId, 'completed'),
    completedAt: new Date().toISOString(),
    currency: 'EUR',
    customer: { id: 'c1', firstName: 'Ada', lastName: 'Lovelace', email: null, phone: null },
    vehicle: { id: 'v1', customerId: 'c1', vin: null, registration: 'AB-12', make: 'VW', model: 'Golf', year: 2019, vehicleType: 'car' },
    technician: null,
    services: [],
    parts: [{ lineId: 'l1', itemId, sku: 'X', name: 'Part', unitPrice: 1000, quantity: 3, taxRate: 2000, status: 'reserved' }],
  };
}

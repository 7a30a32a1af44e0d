import type { EventEnvelope } from '@pitlane/events';
import { waitFor } from '@pitlane/testing';

import { itemInput, newGarage, newId } from './factories';
import { clientFor, consumedCount, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

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
    expect(outcomes('inventory.reservation_failed', bookingId)).toHaveLength(1);
    expect(outcomes('inventory.reserved', bookingId)).toHaveLength(0);
  });

  it('when the item is unknown in the garage (twice), then one reservation_failed says unknown_item', async () => {
    const foreign = (await clientFor(harness, newGarage())('POST', '/inventory', itemInput())).body.data.id as string;
    const bookingId = newId();

    await deliverTwice('booking.parts_assigned', { bookingId, lineId: 'l1', itemId: foreign, quantity: 1 });

    const failed = await harness.recorder.next<Outcome['data']>('inventory.reservation_failed', (e) => e.data.bookingId === bookingId);
    expect(failed.data.reason).toBe('unknown_item');
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

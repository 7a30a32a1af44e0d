import { waitFor } from '@pitlane/testing';

import { itemInput, newGarage, newId } from './factories';
import { clientFor, consumedCount, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

type Delivery = { type: string; data: unknown; id: string; seq: number };

/** every order of the given list */
const permutations = <T>(list: T[]): T[][] =>
  list.length <= 1 ? [list] : list.flatMap((head, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [head, ...rest]));

describe('a booking\'s events in any order (issue 13: stock lost after a broker outage)', () => {
  let harness: Harness;
  let client: Client;
  const garage = newGarage();

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, garage);
  });
  afterAll(() => harness.close());

  const item = async (id: string) => (await client('GET', `/inventory/${id}`)).body.data;
  const stored = (id: string) => harness.service.models.Item.findOne({ _id: id, garageId: garage.id }).lean();
  const acked = async (type: string) => (await consumedCount(harness, type, 'handled')) + (await consumedCount(harness, type, 'duplicate'));

  /** publishes one event as bookings would (with its per-booking sequence number) and waits until it was acked,
   * so the service handles the deliveries in exactly this order */
  async function deliver(bookingId: string, event: Delivery): Promise<void> {
    const before = await acked(event.type);
    await harness.publish(event.type, garage, event.data, event.id, { type: 'booking', id: bookingId, seq: event.seq });
    await waitFor(async () => (await acked(event.type)) > before, { message: `${event.type} not consumed` });
  }

  /** a booking with two part lines (2 and 3 of the item) that ends with `ending`, numbered as bookings would */
  function history(bookingId: string, itemId: string, ending: string): Delivery[] {
    const assigned = (lineId: string, quantity: number, seq: number): Delivery => ({
      type: 'booking.parts_assigned', data: { bookingId, lineId, itemId, quantity }, id: newId(), seq,
    });
    return [assigned('l1', 2, 2), assigned('l2', 3, 3), { type: ending.split(':')[0]!, data: ended(ending, bookingId), id: newId(), seq: 9 }];
  }

  const consumes = (ending: string) => ending === 'booking.completed';
  const orders = (ending: string) => permutations([0, 1, 2]).map((order) => [ending, order] as const);

  it.each([...orders('booking.completed'), ...orders('booking.cancelled'), ['booking.deleted', [2, 1, 0]], ['booking.status_changed:no_show', [2, 0, 1]]] as const)(
    'when %s and the part lines arrive in the order %j, then on-hand and reserved end exactly as in order and nothing stays reserved',
    async (ending, order) => {
      const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 10, reorderLevel: 0 }))).body.data.id as string;
      const bookingId = newId();
      const events = history(bookingId, id, ending);
      for (const index of order) await deliver(bookingId, events[index]!);

      const onHand = consumes(ending) ? 5 : 10;
      expect(await item(id)).toMatchObject({ quantityOnHand: onHand, quantityReserved: 0, quantityAvailable: onHand });
      const settled = await stored(id);
      expect(settled?.reservations).toEqual([]);
      const ledger = await expectLedgerConsistent(client, id);
      expect(ledger).toHaveLength(1 + 2 * 2); // opening, then per line one reserve and one consume/release

      // a redelivered old event (same id) and the same facts as new events change nothing
      for (const event of events) await deliver(bookingId, event);
      for (const event of events) await deliver(bookingId, { ...event, id: newId() });
      expect(await stored(id)).toMatchObject({ version: settled!.version, quantityOnHand: onHand, quantityReserved: 0, reservations: [] });
      expect(await expectLedgerConsistent(client, id)).toHaveLength(ledger.length);
    },
  );

  it('when a booking ended but a crash left its line reserved, then the reconciler consumes it', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 10, reorderLevel: 0 }))).body.data.id as string;
    const bookingId = newId();
    const [first] = history(bookingId, id, 'booking.completed');
    await deliver(bookingId, first!);
    expect(await item(id)).toMatchObject({ quantityOnHand: 10, quantityReserved: 2 });

    // the state a crash between recording the booking's end and settling its lines leaves behind
    const eventId = newId();
    await harness.service.context.states.insertRaw({
      garageId: garage.id, bookingId, settlement: 'consume', eventId, eventType: 'booking.completed', seq: 9, settledAt: new Date(),
    });

    await waitFor(async () => (await item(id)).quantityReserved === 0, { message: 'the reconciler did not settle the reservation' });
    expect(await item(id)).toMatchObject({ quantityOnHand: 8, quantityReserved: 0 });
    const ledger = await expectLedgerConsistent(client, id);
    expect(ledger.at(-1)).toMatchObject({ reason: 'consumed', quantity: -2, actor: { type: 'event', id: eventId } });
    expect(await harness.service.models.SettledReservation.findOne({ garageId: garage.id, bookingId }).lean()).toMatchObject({ status: 'consumed' });
  });

  it('when a booking ended with a release but its line is still reserved, then the reconciler releases it', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 10, reorderLevel: 0 }))).body.data.id as string;
    const bookingId = newId();
    await deliver(bookingId, history(bookingId, id, 'booking.cancelled')[1]!);
    await harness.service.context.states.insertRaw({
      garageId: garage.id, bookingId, settlement: 'release', eventId: newId(), eventType: 'booking.cancelled', seq: 9, settledAt: new Date(),
    });

    await waitFor(async () => (await item(id)).quantityReserved === 0, { message: 'the reconciler did not release the reservation' });
    expect(await item(id)).toMatchObject({ quantityOnHand: 10, quantityAvailable: 10 });
    await expectLedgerConsistent(client, id);
  });
});

function summary(bookingId: string, status: string) {
  return { bookingId, number: 'BK-000001', customerId: 'c1', vehicleId: 'v1', date: '2026-11-25', timeslot: '09:00', status, technicianId: null };
}

/** the ending event's data: booking.completed / cancelled / deleted, or booking.status_changed:no_show */
function ended(ending: string, bookingId: string) {
  switch (ending) {
    case 'booking.completed':
      return {
        booking: summary(bookingId, 'completed'),
        completedAt: new Date().toISOString(),
        currency: 'EUR',
        customer: { id: 'c1', firstName: 'Ada', lastName: 'Lovelace', email: null, phone: null },
        vehicle: { id: 'v1', customerId: 'c1', vin: null, registration: 'AB-12', make: 'VW', model: 'Golf', year: 2019, vehicleType: 'car' },
        technician: null,
        services: [],
        parts: [],
      };
    case 'booking.cancelled':
      return { booking: summary(bookingId, 'cancelled'), reason: null };
    case 'booking.deleted':
      return { booking: summary(bookingId, 'pending') };
    default:
      return { booking: summary(bookingId, 'no_show'), from: 'confirmed', to: 'no_show', reason: null };
  }
}

import { createEvent } from '@pitlane/events';
import mongoose from 'mongoose';

import { registerBookingModel, storedBooking, withoutOutbox, type NewBookingDoc } from '../../src/data-access/booking.model';

/**
 * A create inserts its booking through the driver (booking.repository.ts): the document must be the
 * one mongoose would have stored for it, defaults, timestamps and field order included. Mongoose
 * builds and validates its document here without a server (a connection that never connects).
 */
describe('the stored document of a new booking', () => {
  const Booking = registerBookingModel(mongoose.createConnection());
  const event = createEvent('bookings', { type: 'booking.created', data: { any: 'payload' }, organisationId: 'org_1', garageId: 'gar_1' });
  const numbered = [{ ...event, aggregate: { type: 'booking', id: 'bk_1', seq: 1 } }];

  async function asMongooseStoresIt(doc: NewBookingDoc) {
    const built = new Booking({ ...doc, eventSeq: numbered.length });
    built.set('outbox', numbered);
    await built.validate(); // throws if the create's fields would not pass the schema
    // what save() does first (mongoose types it on the model's internals only)
    (built as unknown as { initializeTimestamps(): void }).initializeTimestamps();
    return built.toObject();
  }

  const base: NewBookingDoc = {
    _id: 'bk_1',
    garageId: 'gar_1',
    organisationId: 'org_1',
    number: 'BK-000042',
    customerId: 'cus_1',
    vehicleId: 'veh_1',
    vehicleType: 'car',
    date: '2027-03-01',
    timeslot: '09:00',
    services: [{ serviceId: 'svc_1', name: 'Oil change', code: null, unitPrice: 4900, quantity: 1, taxRate: 2000, durationMinutes: 30 }],
    currency: 'GBP',
    technicianId: 'tec_1',
    technicianIds: ['tec_1', 'tec_2'],
    bayId: null,
    notes: null,
    status: 'pending',
  };

  it.each([
    ['with a slot, services and a team', base],
    ['with only a day, an idempotency key, a bay and notes', { ...base, timeslot: null, services: [], technicianId: null, technicianIds: [], bayId: 'bay_1', notes: 'Rattle', idempotencyKey: 'gar_1|key-1' }],
  ])('when a booking %s is stored, then its document equals mongoose\'s field for field and in the same order', async (_, doc) => {
    const expected = await asMongooseStoresIt(doc);
    const stored = storedBooking(doc, numbered, expected.createdAt);
    expect(stored).toEqual(expected);
    expect(Object.keys(stored)).toEqual(Object.keys(expected));
    expect(stored.services.map((line) => Object.keys(line))).toEqual(expected.services.map((line) => Object.keys(line)));
  });

  it('when the booking is returned to the caller, then it is the stored document without its outbox', () => {
    const stored = storedBooking(base, numbered, new Date('2026-11-30T12:00:00Z'));
    const returned = withoutOutbox(stored);
    expect(returned).not.toHaveProperty('outbox');
    expect(returned).toEqual(Object.fromEntries(Object.entries(stored).filter(([key]) => key !== 'outbox')));
    expect(stored.outbox).toEqual(numbered);
  });
});

import { randomUUID } from 'node:crypto';

import { createEvent, onOutboxHandOff } from '@pitlane/events';
import { connectMongo, ensureIndexes } from '@pitlane/mongo';
import { infraUrls, testNames } from '@pitlane/testing';
import type { Connection } from 'mongoose';

import { invoiceRepository } from '../src/data-access/invoice.repository';
import { registerModels, type Models } from '../src/data-access/models';
import { invoiceFromBooking } from '../src/domain/invoice';
import { bookingCompleted, newGarage } from './factories';

/** Invoices of one garage that wait together are written as one ordered insert (numbering.ts); when
 * another instance took a number in the middle, the invoices before it are stored AND handed to the
 * outbox relay at once, like every other invoice (not left for the relay's slow sweep). */
describe('invoices written by group commit', () => {
  const names = testNames(__filename);
  let connection: Connection;
  let models: Models;

  beforeAll(async () => {
    connection = await connectMongo({ url: infraUrls().mongoUrl, dbName: names.database('billing') });
    models = registerModels(connection);
    await ensureIndexes(connection);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('when another instance took a number inside a group, then every invoice is numbered around it and announced to the relay', async () => {
    const garage = newGarage();
    const invoices = invoiceRepository(models);
    const announced: unknown[] = [];
    const stop = onOutboxHandOff(models.Invoice, (id) => announced.push(id));
    // number 3 of 2026 exists already (another instance), and the counter never heard of it
    await models.Invoice.collection.insertOne({ _id: 'elsewhere', garageId: garage.garageId, bookingId: 'bkg-elsewhere', number: 'INV-2026-000003' } as never);

    const bookings = Array.from({ length: 5 }, () => bookingCompleted());
    const results = await Promise.all(
      bookings.map((data) =>
        invoices.insertNumbered({ garageId: garage.garageId, year: 2026, bookingId: data.booking.bookingId }, (seq) => {
          const invoice = invoiceFromBooking(data, { id: randomUUID(), garageId: garage.garageId, organisationId: garage.organisationId }, seq);
          return { invoice, events: [createEvent('billing', { type: 'invoice.created', organisationId: garage.organisationId, garageId: garage.garageId, data: { seq } })] };
        }),
      ),
    );
    stop();

    expect(results.map((r) => (r.inserted ? r.seq : null))).toEqual([1, 2, 4, 5, 6]);
    const stored = await models.Invoice.find({ garageId: garage.garageId, _id: { $ne: 'elsewhere' } }, { number: 1, createdAt: 1, notes: 1, outbox: 1 }).lean();
    expect(stored.map((i) => i.number).sort()).toEqual(['INV-2026-000001', 'INV-2026-000002', 'INV-2026-000004', 'INV-2026-000005', 'INV-2026-000006']);
    expect(stored.every((i) => i.createdAt instanceof Date && i.notes === null && (i as { outbox?: unknown[] }).outbox?.length === 1)).toBe(true);
    expect(new Set(announced)).toEqual(new Set(stored.map((i) => i._id)));
  });
});

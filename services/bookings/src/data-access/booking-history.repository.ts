import type { Pagination } from '@pitlane/core';

import type { BookingDoc } from './booking.model';
import type { Models } from './models';

export interface InvoiceRow {
  invoiceId: string;
  number: string;
  status: string;
  total: number;
  amountPaid: number;
  currency: string;
  sourceOccurredAt: string;
}

/** Bookings as a vehicle's service history: completed jobs and the invoice billing made for each. */
export class BookingHistoryRepository {
  constructor(private readonly models: Pick<Models, 'Booking'>) {}

  /** Records billing's invoice of the booking unless a newer invoice event already did; false then. */
  async recordInvoice(garageId: string, bookingId: string, invoice: InvoiceRow): Promise<boolean> {
    const result = await this.models.Booking.updateOne(
      { _id: bookingId, garageId, $or: [{ invoice: null }, { 'invoice.sourceOccurredAt': { $lt: invoice.sourceOccurredAt } }] },
      { $set: { invoice } },
    );
    return result.modifiedCount === 1;
  }

  /** A vehicle's completed bookings, most recently completed first. */
  async completedForVehicle(garageId: string, vehicleId: string, pagination: Pagination): Promise<{ items: BookingDoc[]; total: number }> {
    const filter = { garageId, vehicleId, status: 'completed', deletedAt: null };
    const [items, total] = await Promise.all([
      this.models.Booking.find(filter).sort({ completedAt: -1, _id: -1 }).skip(pagination.skip).limit(pagination.limit).lean<BookingDoc[]>(),
      this.models.Booking.countDocuments(filter),
    ]);
    return { items, total };
  }
}

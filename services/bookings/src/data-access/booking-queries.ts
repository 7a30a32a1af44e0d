import type { Pagination } from '@pitlane/core';
import { bookingStatus } from '@pitlane/contracts';

import type { BookingDoc } from './booking.model';
import type { Ctx } from './context';

export interface BookingFilters {
  status?: string[] | undefined;
  customerId?: string | undefined;
  vehicleId?: string | undefined;
  technicianId?: string | undefined;
  bayId?: string | undefined;
}

function filterOf(garageId: string, filters: BookingFilters, range: { dateFrom?: string; dateTo?: string }) {
  const filter: Record<string, unknown> = { garageId, deletedAt: null };
  if (filters.status) filter.status = { $in: filters.status };
  if (filters.customerId) filter.customerId = filters.customerId;
  if (filters.vehicleId) filter.vehicleId = filters.vehicleId;
  if (filters.technicianId) filter.technicianId = filters.technicianId;
  if (filters.bayId) filter.bayId = filters.bayId;
  if (range.dateFrom || range.dateTo) {
    filter.date = { ...(range.dateFrom ? { $gte: range.dateFrom } : {}), ...(range.dateTo ? { $lte: range.dateTo } : {}) };
  }
  return filter;
}

export async function listBookings(ctx: Ctx, garageId: string, pagination: Pagination, filters: BookingFilters) {
  const filter = filterOf(garageId, filters, pagination);
  // _id breaks ties so pages never overlap or skip when many bookings share a date
  const sort = { ...pagination.sort, _id: 1 as const };
  const [items, total] = await Promise.all([
    ctx.models.Booking.find(filter).sort(sort).skip(pagination.skip).limit(pagination.limit).lean<BookingDoc[]>(),
    ctx.models.Booking.countDocuments(filter),
  ]);
  return { items, total };
}

/** GET /bookings/counts: every status with its count (zeros included), and the total. */
export async function bookingCounts(ctx: Ctx, garageId: string, range: { dateFrom?: string; dateTo?: string }, filters: BookingFilters) {
  const rows = await ctx.models.Booking.aggregate<{ _id: string; n: number }>([
    { $match: filterOf(garageId, filters, range) },
    { $group: { _id: '$status', n: { $sum: 1 } } },
  ]);
  const counts: Record<string, number> = Object.fromEntries(bookingStatus.options.map((s) => [s, 0]));
  for (const row of rows) counts[row._id] = row.n;
  return { ...counts, total: rows.reduce((sum, row) => sum + row.n, 0) };
}

import { errors, type Pagination } from '@pitlane/core';
import type { Model } from 'mongoose';

import type { BayDoc, ServiceDoc, TechnicianDoc } from './catalog.model';
import type { Ctx } from './context';
import type { GarageTenant } from './create-booking';
import { requireBay, requireTechnician } from './lookups';

/** Statuses in which a booking physically occupies its bay. */
const IN_BAY = ['checked_in', 'in_progress', 'waiting_parts'];

export async function createService(ctx: Ctx, tenant: GarageTenant, input: { name: string; code?: string | null | undefined; durationMinutes: number; prices: { vehicleType: string; price: number }[]; taxRate?: number | undefined }) {
  const created = await ctx.models.Service.create({ ...input, garageId: tenant.garageId, currency: tenant.currency });
  return created.toObject() as ServiceDoc;
}

export async function requireService(ctx: Ctx, garageId: string, id: string) {
  const service = await ctx.models.Service.findOne({ _id: id, garageId }).lean<ServiceDoc>();
  if (!service) throw errors.notFound('Service');
  return service;
}

/** Lists of the catalog resources of one garage; `_id` breaks sort ties so pages are stable. */
export async function listCatalog(ctx: Ctx, kind: 'Service' | 'Technician' | 'Bay', garageId: string, pagination: Pagination) {
  const model = ctx.models[kind] as unknown as Model<Record<string, unknown>>;
  const filter = { garageId };
  const [items, total] = await Promise.all([
    model.find(filter).sort({ ...pagination.sort, _id: 1 }).skip(pagination.skip).limit(pagination.limit).lean(),
    model.countDocuments(filter),
  ]);
  return { items, total };
}

export async function createTechnician(ctx: Ctx, garageId: string, input: { name: string; email?: string | null | undefined; skills?: string[] | undefined }) {
  return (await ctx.models.Technician.create({ ...input, garageId })).toObject() as TechnicianDoc;
}

/** Over bookings dated in the range: completed and in-progress counts, average hours from start of
 * work to completion, and revenue (net of tax) of completed bookings at their booked prices. */
export async function technicianStats(ctx: Ctx, garageId: string, technicianId: string, range: { dateFrom?: string; dateTo?: string }) {
  await requireTechnician(ctx.models, garageId, technicianId);
  const filter: Record<string, unknown> = { garageId, technicianId, deletedAt: null };
  if (range.dateFrom || range.dateTo) {
    filter.date = { ...(range.dateFrom ? { $gte: range.dateFrom } : {}), ...(range.dateTo ? { $lte: range.dateTo } : {}) };
  }
  const bookings = await ctx.models.Booking.find(filter, { status: 1, startedAt: 1, completedAt: 1, services: 1, parts: 1 }).lean();
  const completed = bookings.filter((b) => b.status === 'completed');
  const timed = completed.filter((b) => b.startedAt && b.completedAt);
  const hours = timed.map((b) => ((b.completedAt as Date).getTime() - (b.startedAt as Date).getTime()) / 3_600_000);
  const revenue = completed.reduce(
    (sum, b) =>
      sum +
      b.services.reduce((s, line) => s + line.unitPrice * (line.quantity ?? 1), 0) +
      b.parts.reduce((s, line) => s + line.unitPrice * line.quantity, 0),
    0,
  );
  return {
    technicianId,
    dateFrom: range.dateFrom ?? null,
    dateTo: range.dateTo ?? null,
    completed: completed.length,
    inProgress: bookings.filter((b) => b.status === 'in_progress' || b.status === 'waiting_parts').length,
    averageHoursToComplete: hours.length ? Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 100) / 100 : null,
    revenue,
  };
}

export async function createBay(ctx: Ctx, garageId: string, input: { name: string; type?: string | null | undefined; outOfService?: boolean | undefined }) {
  return (await ctx.models.Bay.create({ ...input, garageId })).toObject() as BayDoc;
}

export async function updateBay(ctx: Ctx, garageId: string, id: string, input: { name?: string | undefined; type?: string | null | undefined; outOfService?: boolean | undefined }) {
  await requireBay(ctx.models, garageId, id);
  await ctx.models.Bay.updateOne({ _id: id, garageId }, { $set: input });
  return (await requireBay(ctx.models, garageId, id)) as BayDoc;
}

/** Which booking occupies each bay now: derived from the bookings, never stored twice. */
export async function bayOccupants(ctx: Ctx, garageId: string, bayIds: string[]) {
  const bookings = await ctx.models.Booking.find({ garageId, bayId: { $in: bayIds }, status: { $in: IN_BAY }, deletedAt: null }, { bayId: 1, number: 1 }).lean();
  return new Map(bookings.map((b) => [b.bayId as string, { id: b._id, number: b.number }]));
}

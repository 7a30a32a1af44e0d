import type { Pagination } from '@pitlane/core';

import type { BayDoc, ServiceDoc, TechnicianDoc } from '../data-access/catalog.model';
import type { DateRange } from '../data-access/booking.repository';
import type { GarageTenant } from '../domain/types';
import type { UseCaseDeps } from './deps';

/** Statuses in which a booking physically occupies its bay. */
const IN_BAY = ['checked_in', 'in_progress', 'waiting_parts'];

type BayInput = { name?: string | undefined; type?: string | null | undefined; outOfService?: boolean | undefined };

/** Services (priced per vehicle type, in the garage's currency), technicians and bays. */
export class Catalog {
  constructor(private readonly deps: UseCaseDeps) {}

  createService(tenant: GarageTenant, input: { name: string; code?: string | null | undefined; durationMinutes: number; prices: { vehicleType: string; price: number }[]; taxRate?: number | undefined }): Promise<ServiceDoc> {
    return this.deps.repos.catalog.createService({ ...input, garageId: tenant.garageId, currency: tenant.currency });
  }

  createTechnician(garageId: string, input: { name: string; email?: string | null | undefined; skills?: string[] | undefined }): Promise<TechnicianDoc> {
    return this.deps.repos.catalog.createTechnician({ ...input, garageId });
  }

  createBay(garageId: string, input: BayInput & { name: string }): Promise<BayDoc> {
    return this.deps.repos.catalog.createBay({ ...input, garageId });
  }

  async updateBay(garageId: string, id: string, input: BayInput): Promise<BayDoc> {
    const { catalog } = this.deps.repos;
    await catalog.requireBay(garageId, id);
    await catalog.updateBay(garageId, id, input);
    return catalog.requireBay(garageId, id);
  }

  /** A page of bays, each with the booking that occupies it now (derived from the bookings, never
   * stored twice). */
  async listBays(garageId: string, pagination: Pagination) {
    const { items, total } = await this.deps.repos.catalog.list<BayDoc>('Bay', garageId, pagination);
    const occupants = await this.occupants(garageId, items.map((b) => b._id));
    return { items: items.map((bay) => ({ bay, occupant: occupants.get(bay._id) })), total };
  }

  async occupants(garageId: string, bayIds: string[]): Promise<Map<string, { id: string; number: string }>> {
    const bookings = await this.deps.repos.bookings.inBays(garageId, bayIds, IN_BAY);
    return new Map(bookings.map((b) => [b.bayId, { id: b._id, number: b.number }]));
  }

  /** Over bookings dated in the range: completed and in-progress counts, average hours from start of
   * work to completion, and revenue (net of tax) of completed bookings at their booked prices. */
  async technicianStats(garageId: string, technicianId: string, range: DateRange) {
    await this.deps.repos.catalog.requireTechnician(garageId, technicianId);
    const bookings = await this.deps.repos.bookings.forTechnician(garageId, technicianId, range);
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
}

import type { BookingDetail } from '../../application/booking-detail';
import type { BookingDoc } from '../../data-access/booking.model';
import type { BayDoc, ServiceDoc, TechnicianDoc } from '../../data-access/catalog.model';
import type { CustomerDoc } from '../../data-access/customer.model';
import type { VehicleDoc } from '../../data-access/vehicle.model';
import { customerSnapshot, vehicleSnapshot } from '../../application/events';
import { addressOf } from '../../domain/address';
import { teamOf } from '../../domain/technicians';

/** What partners see of each resource: `id` instead of `_id`, no internal fields (the event
 * snapshots plus what only the API shows). */
export function customerView(c: CustomerDoc) {
  return {
    ...customerSnapshot(c),
    address: addressOf(c.address),
    notes: c.notes ?? null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function vehicleView(v: VehicleDoc) {
  return {
    ...vehicleSnapshot(v),
    color: v.color ?? null,
    mileage: v.mileage ?? null,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}

export function bookingView(b: BookingDoc) {
  const services = b.services.map((s) => ({
    serviceId: s.serviceId,
    name: s.name,
    code: s.code ?? null,
    unitPrice: s.unitPrice,
    quantity: s.quantity ?? 1,
    taxRate: s.taxRate ?? 0,
  }));
  return {
    id: b._id,
    number: b.number,
    customerId: b.customerId,
    vehicleId: b.vehicleId,
    date: b.date,
    timeslot: b.timeslot ?? null,
    status: b.status,
    serviceIds: services.map((s) => s.serviceId),
    services,
    currency: b.currency,
    ...teamOf(b),
    bayId: b.bayId ?? null,
    notes: b.notes ?? null,
    parts: b.parts.map(partView),
    stages: b.stages.map(stageView),
    statusHistory: b.statusHistory.map((h) => ({ from: h.from, to: h.to, reason: h.reason ?? null, at: h.at })),
    startedAt: b.startedAt ?? null,
    completedAt: b.completedAt ?? null,
    mileageIn: b.mileageIn ?? null,
    mileageOut: b.mileageOut ?? null,
    invoice: b.invoice ? invoiceView(b.invoice) : null,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

export function invoiceView(i: { invoiceId: string; number: string; status: string; total: number; amountPaid: number; currency: string }) {
  return { id: i.invoiceId, number: i.number, status: i.status, total: i.total, amountPaid: i.amountPaid, currency: i.currency };
}

/** One completed job in a vehicle's service history: what was done, fitted, read and invoiced. */
export function historyEntryView(b: BookingDoc) {
  const { services, parts, technicianId, technicianIds } = bookingView(b);
  return {
    bookingId: b._id,
    number: b.number,
    date: b.date,
    completedAt: b.completedAt ?? null,
    mileageIn: b.mileageIn ?? null,
    mileageOut: b.mileageOut ?? null,
    technicianId,
    technicianIds,
    services,
    parts: parts.map(({ itemId, sku, name, quantity, unitPrice, taxRate }) => ({ itemId, sku, name, quantity, unitPrice, taxRate })),
    currency: b.currency,
    // null until billing's invoice.created for the booking has arrived
    invoice: b.invoice ? invoiceView(b.invoice) : null,
  };
}

/** The booking with display snapshots of its customer and vehicle (the fields the events carry). */
export function bookingDetailView({ booking, customer, vehicle }: BookingDetail) {
  return {
    ...bookingView(booking),
    customer: customer ? customerSnapshot(customer) : null,
    vehicle: vehicle ? vehicleSnapshot(vehicle) : null,
  };
}

interface PartLine {
  lineId: string;
  itemId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  taxRate?: number | null;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

interface StageRow {
  id: string;
  name: string;
  description?: string | null;
  technicianId?: string | null;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

export function partView(p: PartLine) {
  return {
    id: p.lineId,
    itemId: p.itemId,
    sku: p.sku,
    name: p.name,
    quantity: p.quantity,
    unitPrice: p.unitPrice,
    taxRate: p.taxRate ?? 0,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export function stageView(s: StageRow) {
  return { id: s.id, name: s.name, description: s.description ?? null, technicianId: s.technicianId ?? null, status: s.status, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

export function serviceView(s: ServiceDoc) {
  return {
    id: s._id,
    name: s.name,
    code: s.code ?? null,
    durationMinutes: s.durationMinutes,
    prices: s.prices.map((p) => ({ vehicleType: p.vehicleType, price: p.price, currency: s.currency })),
    taxRate: s.taxRate ?? 0,
    currency: s.currency,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export function technicianView(t: TechnicianDoc) {
  return { id: t._id, name: t.name, email: t.email ?? null, skills: t.skills, createdAt: t.createdAt, updatedAt: t.updatedAt };
}

export function bayView(b: BayDoc, occupiedBy: { id: string; number: string } | undefined) {
  return {
    id: b._id,
    name: b.name,
    type: b.type ?? null,
    status: b.outOfService ? 'out_of_service' : occupiedBy ? 'occupied' : 'available',
    booking: occupiedBy ? { id: occupiedBy.id, number: occupiedBy.number } : null,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

import { errors, type Pagination } from '@pitlane/core';
import { withEvents } from '@pitlane/events';

import type { Ctx } from './context';
import type { CustomerDoc } from './customer.model';
import { bookingsEvent, customerSnapshot, type Tenant } from './events';
import { requireCustomer } from './lookups';

export interface CustomerInput {
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  notes?: string | null | undefined;
}

function digitsOf(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits || null;
}

/** Literal text inside a regex: a search for `.*` finds dots and stars, nothing else. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function createCustomer(ctx: Ctx, tenant: Tenant, input: Required<Pick<CustomerInput, 'firstName' | 'lastName'>> & CustomerInput) {
  const doc = {
    garageId: tenant.garageId,
    organisationId: tenant.organisationId,
    firstName: input.firstName,
    lastName: input.lastName,
    fullName: `${input.firstName} ${input.lastName}`,
    email: input.email ?? null,
    phone: input.phone ?? null,
    phoneDigits: digitsOf(input.phone),
    address: input.address ?? null,
    notes: input.notes ?? null,
  };
  const created = new ctx.models.Customer(doc);
  created.set('outbox', [bookingsEvent(tenant, 'customer.created', { customer: customerSnapshot(created.toObject()) })]);
  await created.save();
  ctx.relay.nudge();
  return (await ctx.models.Customer.findById(created._id).lean()) as CustomerDoc;
}

export async function updateCustomer(ctx: Ctx, tenant: Tenant, id: string, input: CustomerInput) {
  const current = await requireCustomer(ctx.models, tenant.garageId, id);
  const next = { ...current, ...input };
  const set: Record<string, unknown> = { ...input, fullName: `${next.firstName} ${next.lastName}` };
  if (input.phone !== undefined) set.phoneDigits = digitsOf(input.phone);
  const result = await ctx.models.Customer.updateOne(
    { _id: id, garageId: tenant.garageId },
    withEvents<CustomerDoc>({ $set: set }, bookingsEvent(tenant, 'customer.updated', { customer: customerSnapshot(next) })),
  );
  if (result.matchedCount === 0) throw errors.notFound('Customer');
  ctx.relay.nudge();
  return (await ctx.models.Customer.findById(id).lean()) as CustomerDoc;
}

export async function listCustomers(ctx: Ctx, garageId: string, pagination: Pagination, q?: string) {
  const filter: { garageId: string; $or?: Record<string, unknown>[] } = { garageId };
  if (q) {
    const pattern = { $regex: escapeRegex(q.trim()), $options: 'i' };
    filter.$or = [{ fullName: pattern }, { email: pattern }, { phone: pattern }];
    const digits = digitsOf(q);
    // a query that looks like a phone number also matches by digits, whatever the formatting
    if (digits && digits.length >= 3 && /^[\d\s()+./-]+$/.test(q)) filter.$or.push({ phoneDigits: { $regex: digits } });
  }
  const [items, total] = await Promise.all([
    ctx.models.Customer.find(filter).sort(pagination.sort).skip(pagination.skip).limit(pagination.limit).lean<CustomerDoc[]>(),
    ctx.models.Customer.countDocuments(filter),
  ]);
  return { items, total };
}

/** GET /customers/{cid}: the customer with booking count, last booking date and lifetime spend. */
export async function customerWithStats(ctx: Ctx, garageId: string, id: string) {
  const customer = (await requireCustomer(ctx.models, garageId, id)) as CustomerDoc;
  const filter = { garageId, customerId: id, deletedAt: null };
  const [bookingCount, last] = await Promise.all([
    ctx.models.Booking.countDocuments(filter),
    ctx.models.Booking.findOne(filter, { date: 1 }).sort({ date: -1 }).lean(),
  ]);
  return { customer, stats: { bookingCount, lastBookingDate: last?.date ?? null, lifetimeSpend: customer.lifetimeSpend ?? 0 } };
}

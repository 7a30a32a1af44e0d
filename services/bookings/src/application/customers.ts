import { errors } from '@pitlane/core';

import type { CustomerDoc } from '../data-access/customer.model';
import { digitsOf } from '../data-access/customer.repository';
import { addressOf } from '../domain/address';
import type { Tenant } from '../domain/types';
import type { UseCaseDeps } from './deps';
import { bookingsEvent, customerSnapshot } from './events';

export interface CustomerInput {
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  address?: { line1: string; line2?: string | null | undefined; city?: string | null | undefined; region?: string | null | undefined; postcode?: string | null | undefined; country?: string | null | undefined } | null | undefined;
  notes?: string | null | undefined;
}

/** Customers: each change travels with its customer.* event; invoice.paid grows the lifetime spend. */
export class Customers {
  constructor(private readonly deps: UseCaseDeps) {}

  async create(tenant: Tenant, input: Required<Pick<CustomerInput, 'firstName' | 'lastName'>> & CustomerInput): Promise<CustomerDoc> {
    const doc = {
      garageId: tenant.garageId,
      organisationId: tenant.organisationId,
      firstName: input.firstName,
      lastName: input.lastName,
      fullName: `${input.firstName} ${input.lastName}`,
      email: input.email ?? null,
      phone: input.phone ?? null,
      phoneDigits: digitsOf(input.phone),
      address: addressOf(input.address),
      notes: input.notes ?? null,
    };
    const created = await this.deps.repos.customers.insert(doc, (customer) => [
      bookingsEvent(tenant, 'customer.created', { customer: customerSnapshot(customer) }),
    ]);
    this.deps.relay.nudge();
    return created;
  }

  async update(tenant: Tenant, id: string, input: CustomerInput): Promise<CustomerDoc> {
    const { customers } = this.deps.repos;
    const current = await customers.require(tenant.garageId, id);
    const next = { ...current, ...input };
    const set: Record<string, unknown> = { ...input, fullName: `${next.firstName} ${next.lastName}` };
    if (input.address !== undefined) set.address = addressOf(input.address);
    if (input.phone !== undefined) set.phoneDigits = digitsOf(input.phone);
    const updated = await customers.update(tenant.garageId, id, set, [bookingsEvent(tenant, 'customer.updated', { customer: customerSnapshot(next) })]);
    if (!updated) throw errors.notFound('Customer');
    this.deps.relay.nudge();
    return updated;
  }

  /** GET /customers/{cid}: the customer with booking count, last booking date and lifetime spend. */
  async withStats(garageId: string, id: string) {
    const customer = await this.deps.repos.customers.require(garageId, id);
    const { bookingCount, lastBookingDate } = await this.deps.repos.bookings.customerStats(garageId, id);
    return { customer, stats: { bookingCount, lastBookingDate, lifetimeSpend: customer.lifetimeSpend ?? 0 } };
  }

  /** invoice.paid: adds the amount paid once per event id; false for a redelivery. */
  addLifetimeSpend(garageId: string | null | undefined, customerId: string, amountPaid: number, eventId: string): Promise<boolean> {
    return this.deps.repos.customers.addLifetimeSpendOnce(garageId, customerId, amountPaid, eventId);
  }
}

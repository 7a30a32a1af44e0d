import { errors, timestampFilter, type ListOrder, type Page, type Pagination } from '@pitlane/core';
import { applyOnce, withEvents, type EventEnvelope } from '@pitlane/events';
import type { Model } from 'mongoose';

import { findPage } from './find-page';
import type { CustomerDoc } from './customer.model';
import type { Models } from './models';

export type NewCustomerDoc = Pick<CustomerDoc, 'garageId' | 'organisationId' | 'firstName' | 'lastName' | 'fullName' | 'email' | 'phone' | 'phoneDigits' | 'address' | 'notes'>;

/** The phone's digits only, so "020 7946-0000" finds "+44 20 7946 0000" by its digits. */
export function digitsOf(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits || null;
}

/** Literal text inside a regex: a search for `.*` finds dots and stars, nothing else. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class CustomerRepository {
  constructor(
    private readonly models: Pick<Models, 'Customer'>,
    private readonly order: ListOrder = 'index',
  ) {}

  async require(garageId: string, id: string): Promise<CustomerDoc> {
    const customer = await this.models.Customer.findOne({ _id: id, garageId }).lean<CustomerDoc>();
    if (!customer) throw errors.notFound('Customer');
    return customer;
  }

  /** A customer of the garage, or null (no 404: the caller decides what a missing one means). */
  find(garageId: string, id: string): Promise<CustomerDoc | null> {
    return this.models.Customer.findOne({ _id: id, garageId }).lean<CustomerDoc>().exec();
  }

  /** Inserts the customer with its events (outbox) and returns it as stored. */
  async insert(doc: NewCustomerDoc, events: (created: CustomerDoc) => EventEnvelope[]): Promise<CustomerDoc> {
    const created = new this.models.Customer(doc);
    created.set('outbox', events(created.toObject<CustomerDoc>()));
    await created.save();
    return (await this.models.Customer.findOne({ _id: created._id, garageId: doc.garageId }).lean()) as CustomerDoc;
  }

  /** Sets the fields with the events in one write; null when there is no such customer. */
  async update(garageId: string, id: string, set: Record<string, unknown>, events: EventEnvelope[]): Promise<CustomerDoc | null> {
    const result = await this.models.Customer.updateOne({ _id: id, garageId }, withEvents<CustomerDoc>({ $set: set }, ...events));
    if (result.matchedCount === 0) return null;
    return this.models.Customer.findOne({ _id: id, garageId }).lean<CustomerDoc>().exec();
  }

  /** Name, email and phone, case-insensitive; `q` is literal text, never a regex or an operator. */
  /** A page of customers (a search when q is given); with `count: false` no count of the whole match. */
  async list(garageId: string, pagination: Pagination, q?: string, options: { count?: boolean } = {}): Promise<Page<CustomerDoc>> {
    const filter: { garageId: string; $or?: Record<string, unknown>[] } = { garageId, ...timestampFilter(pagination) };
    if (q) {
      const pattern = { $regex: escapeRegex(q.trim()), $options: 'i' };
      filter.$or = [{ fullName: pattern }, { email: pattern }, { phone: pattern }];
      const digits = digitsOf(q);
      // a query that looks like a phone number also matches by digits, whatever the formatting
      if (digits && digits.length >= 3 && /^[\d\s()+./-]+$/.test(q)) filter.$or.push({ phoneDigits: { $regex: digits } });
    }
    return findPage<CustomerDoc>(this.models.Customer, filter, pagination, this.order, options.count ?? true);
  }

  /** Adds to the lifetime spend once per event id; false for a redelivery. */
  async addLifetimeSpendOnce(garageId: string | null | undefined, customerId: string, amount: number, eventId: string): Promise<boolean> {
    // applyOnce is generic over a plain model; the customer schema has the processedEventIds it needs
    const customers = this.models.Customer as unknown as Model<{ _id: string; garageId: string; lifetimeSpend: number }>;
    return (await applyOnce(customers, { _id: customerId, garageId }, { $inc: { lifetimeSpend: amount } }, eventId)) === 'handled';
  }
}

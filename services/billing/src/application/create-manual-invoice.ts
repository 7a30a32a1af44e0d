import { randomUUID } from 'node:crypto';

import { errors, todayIn } from '@pitlane/core';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import type { Invoice } from '../domain/invoice';
import { manualInvoice, soldParts, type SaleLineInput } from '../domain/manual-invoice';
import { invoiceSummaryOf } from '../domain/summaries';
import type { Tenant, UseCaseDeps } from './deps';

export interface ManualInvoiceRequest {
  customerId: string;
  vehicleId: string | null;
  lines: SaleLineInput[];
  notes: string | null;
  idempotencyKey: string | null;
}

/**
 * A counter sale: an invoice not from a booking, numbered in the same gap-free INV sequence, with
 * invoice.created (source 'manual') and, when it sells parts, sale.parts_sold for inventory's ledger,
 * all in the one insert. With an Idempotency-Key, a retried sale returns the first invoice.
 */
export function createManualInvoice({ invoices, readModels, outbox }: Pick<UseCaseDeps, 'invoices' | 'readModels' | 'outbox'>) {
  return async (tenant: Tenant, input: ManualInvoiceRequest): Promise<{ invoice: Invoice; replayed: boolean }> => {
    const customer = await readModels.findCustomer(tenant.garageId, input.customerId);
    if (!customer) throw errors.notFound('Customer');
    const vehicle = input.vehicleId ? await readModels.findVehicle(tenant.garageId, input.vehicleId) : null;
    if (input.vehicleId && !vehicle) throw errors.notFound('Vehicle');
    if (vehicle && vehicle.customerId !== input.customerId) {
      throw errors.validation('The body is invalid.', [{ field: 'vehicleId', message: 'does not belong to the customer' }]);
    }
    const now = new Date();
    const issueDate = todayIn(tenant.timezone, now);
    const id = randomUUID();
    const { organisationId, garageId } = tenant;
    const result = await invoices.insertManual({ garageId, year: Number(issueDate.slice(0, 4)), sourceKey: input.idempotencyKey ?? id }, (seq) => {
      const invoice = manualInvoice(
        { id, garageId, organisationId, currency: tenant.currency },
        {
          customer: { id: input.customerId, firstName: customer.firstName, lastName: customer.lastName, email: customer.email, phone: customer.phone },
          vehicle: vehicle ? { id: input.vehicleId ?? '', make: vehicle.make, model: vehicle.model, year: vehicle.year, registration: vehicle.registration, vin: vehicle.vin } : null,
          lines: input.lines,
          notes: input.notes,
        },
        { issueDate, now },
        seq,
      );
      const summary = invoiceSummaryOf(invoice, invoice);
      const meta = { organisationId, garageId };
      const events: EventEnvelope[] = [createEvent('billing', { ...meta, type: 'invoice.created', data: { invoice: summary } })];
      const parts = soldParts(invoice);
      if (parts.length > 0) {
        const data = { invoiceId: id, invoiceNumber: invoice.number, customerId: input.customerId, soldAt: now.toISOString(), lines: parts };
        events.push(createEvent('billing', { ...meta, type: 'sale.parts_sold', data }));
      }
      if (invoice.status === 'paid') events.push(createEvent('billing', { ...meta, type: 'invoice.paid', data: { invoice: summary, paidAt: now.toISOString() } }));
      return { invoice, events };
    });
    const invoiceId = result.inserted ? id : result.existingId;
    const invoice = invoiceId ? await invoices.find(garageId, invoiceId) : null;
    if (!invoice) throw new Error('manual invoice missing after its insert');
    if (result.inserted) outbox.nudge();
    return { invoice, replayed: !result.inserted };
  };
}

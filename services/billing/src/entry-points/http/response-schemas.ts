import { openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

/** What partners get back (views.ts), as zod schemas for the OpenAPI document only: views.ts
 * shapes the responses, these describe them. Amounts are integers in the currency minor unit. */
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' });
const localDate = z.string().openapi({ format: 'date', example: '2026-03-02' });
const money = z.number().int();
const currency = z.string().openapi({ example: 'EUR' });
const paymentMethod = z.enum(['cash', 'card', 'bank_transfer', 'cheque']);
const party = z.object({ firstName: z.string(), lastName: z.string(), email: z.string().nullable(), phone: z.string().nullable() });
const totals = { subtotal: money, discountTotal: money, taxTotal: money, total: money };

export const pricedLine = openApiRegistry.register(
  'PricedLine',
  z.object({
    id: z.string(), kind: z.enum(['service', 'part', 'labor', 'fee']), description: z.string(), code: z.string().nullable(),
    quantity: z.number(), unitPrice: money, taxRate: z.number().int().openapi({ description: 'basis points' }),
    gross: money, discount: money, net: money, tax: money, total: money,
  }),
);
export const paymentResource = openApiRegistry.register(
  'Payment',
  z.object({
    id: z.string(),
    invoiceId: z.string().optional().openapi({ description: 'on GET /payments' }),
    invoiceNumber: z.string().optional(),
    currency: currency.optional(),
    amount: money, method: paymentMethod, reference: z.string().nullable(),
    paidAt: timestamp, paidOn: localDate, createdAt: timestamp,
  }),
);
export const refundResource = openApiRegistry.register(
  'Refund',
  z.object({
    id: z.string(), paymentId: z.string(), amount: money, method: paymentMethod, reason: z.string().nullable(),
    refundedAt: timestamp, refundedOn: localDate, createdAt: timestamp,
  }),
);
export const invoiceResource = openApiRegistry.register(
  'Invoice',
  z.object({
    id: z.string(), number: z.string().openapi({ example: 'INV-2026-000001' }),
    status: z.enum(['issued', 'partially_paid', 'paid', 'void', 'partially_refunded', 'refunded', 'credited']),
    source: z.enum(['booking', 'manual']).openapi({ description: 'a completed booking, or a counter sale (POST /invoices)' }),
    bookingId: z.string().nullable(), bookingNumber: z.string().nullable(), customerId: z.string(),
    customer: party,
    vehicleId: z.string().nullable(),
    vehicle: z.object({ make: z.string(), model: z.string(), year: z.number().int().nullable(), registration: z.string().nullable(), vin: z.string().nullable() }).nullable(),
    technician: z.object({ id: z.string(), name: z.string() }).nullable(),
    currency, issueDate: localDate, lines: z.array(pricedLine), ...totals, amountPaid: money,
    balance: money.openapi({ description: 'total − credit − (paid − refunded); negative when money is owed back' }),
    notes: z.string().nullable(),
    payments: z.array(paymentResource.extend({ refundedAmount: money })),
    amountRefunded: money, refunds: z.array(refundResource),
    creditedTotal: money,
    creditedLines: z.array(z.object({ lineId: z.string(), quantity: z.number(), net: money, tax: money, total: money })),
    creditNotes: z.array(z.object({ id: z.string(), number: z.string(), issueDate: localDate, reason: z.string(), total: money })),
    paidAt: timestamp.nullable(), voidedAt: timestamp.nullable(), voidReason: z.string().nullable(),
    createdAt: timestamp, updatedAt: timestamp,
  }),
);
export const paymentWithInvoice = openApiRegistry.register('PaymentRecorded', paymentResource.extend({ invoice: invoiceResource }));
export const refundWithInvoice = openApiRegistry.register('RefundRecorded', refundResource.extend({ invoice: invoiceResource }));
export const creditNoteResource = openApiRegistry.register(
  'CreditNote',
  z.object({
    id: z.string(), number: z.string().openapi({ example: 'CN-2026-000001' }), invoiceId: z.string(), invoiceNumber: z.string(),
    customerId: z.string(), customer: party, currency, issueDate: localDate, reason: z.string(),
    lines: z.array(z.object({
      lineId: z.string(), kind: z.enum(['service', 'part', 'labor', 'fee']), description: z.string(), code: z.string().nullable(),
      quantity: z.number(), unitPrice: money, taxRate: z.number().int(), net: money, tax: money, total: money,
    })),
    netTotal: money, taxTotal: money, total: money, createdAt: timestamp,
  }),
);
export const creditNoteWithInvoice = openApiRegistry.register('CreditNoteCreated', creditNoteResource.extend({ invoice: invoiceResource }));

const estimateStatus = z.enum(['draft', 'sent', 'approved', 'rejected', 'expired']);
export const estimateResource = openApiRegistry.register(
  'Estimate',
  z.object({
    id: z.string(), number: z.string(), status: estimateStatus, customerId: z.string(), vehicleId: z.string().nullable(),
    bookingId: z.string().nullable(), currency, lines: z.array(pricedLine), ...totals, validUntil: localDate.nullable(),
    notes: z.string().nullable(), sentAt: timestamp.nullable(), expiresAt: timestamp.nullable(), answeredAt: timestamp.nullable(),
    rejectionReason: z.string().nullable(),
    delivery: z
      .object({
        status: z.enum(['sending', 'sent']).openapi({ description: '`sending` while queued (mail server down or not tried yet)' }),
        to: z.string(), attempts: z.number().int(), lastError: z.string().nullable(), sentAt: timestamp.nullable(), messageId: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: 'the e-mail of the latest send; null when none was sent' }),
    sends: z.array(z.object({ to: z.string(), messageId: z.string(), sentAt: timestamp })).openapi({ description: 'e-mails that reached the mail server' }),
    createdAt: timestamp, updatedAt: timestamp,
  }),
);
// the send's `delivery` is the outcome (a string), not the estimate's delivery record: a fresh object
// from the shape, since `.extend` of a registered schema is allOf [Estimate, …], which no string satisfies
export const sentEstimate = openApiRegistry.register(
  'SentEstimate',
  z.object({
    ...estimateResource.shape,
    approvalUrl: z.string().openapi({ description: 'the single-use link to give the customer' }),
    delivery: z.enum(['sent', 'sending', 'no_recipient']).openapi({ description: 'what became of the e-mail: sent, queued for retry, or no recipient known' }),
  }),
);
export const publicEstimate = openApiRegistry.register(
  'PublicEstimate',
  z.object({
    number: z.string(), status: estimateStatus, currency,
    lines: z.array(pricedLine.pick({ kind: true, description: true, quantity: true, unitPrice: true, taxRate: true, discount: true, tax: true, total: true })),
    ...totals, validUntil: localDate.nullable(), expiresAt: timestamp.nullable(), answeredAt: timestamp.nullable(),
  }),
);

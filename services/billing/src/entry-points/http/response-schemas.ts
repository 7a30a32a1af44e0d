import { openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

/** What partners get back (views.ts), as zod schemas for the OpenAPI document only: views.ts
 * shapes the responses, these describe them. Amounts are integers in the currency minor unit. */
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' });
const localDate = z.string().openapi({ format: 'date', example: '2026-03-02' });
const money = z.number().int();
const currency = z.string().openapi({ example: 'EUR' });
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
    amount: money, method: z.enum(['cash', 'card', 'bank_transfer', 'cheque']), reference: z.string().nullable(),
    paidAt: timestamp, paidOn: localDate, createdAt: timestamp,
  }),
);
export const invoiceResource = openApiRegistry.register(
  'Invoice',
  z.object({
    id: z.string(), number: z.string().openapi({ example: 'INV-2026-000001' }),
    status: z.enum(['issued', 'partially_paid', 'paid', 'void']),
    bookingId: z.string(), bookingNumber: z.string(), customerId: z.string(),
    customer: z.object({ firstName: z.string(), lastName: z.string(), email: z.string().nullable(), phone: z.string().nullable() }),
    vehicleId: z.string(),
    vehicle: z.object({ make: z.string(), model: z.string(), year: z.number().int().nullable(), registration: z.string().nullable(), vin: z.string().nullable() }),
    technician: z.object({ id: z.string(), name: z.string() }).nullable(),
    currency, issueDate: localDate, lines: z.array(pricedLine), ...totals, amountPaid: money, balance: money,
    payments: z.array(paymentResource), paidAt: timestamp.nullable(), voidedAt: timestamp.nullable(), voidReason: z.string().nullable(),
    createdAt: timestamp, updatedAt: timestamp,
  }),
);
export const paymentWithInvoice = openApiRegistry.register('PaymentRecorded', paymentResource.extend({ invoice: invoiceResource }));

const estimateStatus = z.enum(['draft', 'sent', 'approved', 'rejected', 'expired']);
export const estimateResource = openApiRegistry.register(
  'Estimate',
  z.object({
    id: z.string(), number: z.string(), status: estimateStatus, customerId: z.string(), vehicleId: z.string().nullable(),
    bookingId: z.string().nullable(), currency, lines: z.array(pricedLine), ...totals, validUntil: localDate.nullable(),
    notes: z.string().nullable(), sentAt: timestamp.nullable(), expiresAt: timestamp.nullable(), answeredAt: timestamp.nullable(),
    rejectionReason: z.string().nullable(), createdAt: timestamp, updatedAt: timestamp,
  }),
);
export const sentEstimate = openApiRegistry.register(
  'SentEstimate',
  estimateResource.extend({ approvalUrl: z.string().openapi({ description: 'the single-use link to give the customer' }) }),
);
export const publicEstimate = openApiRegistry.register(
  'PublicEstimate',
  z.object({
    number: z.string(), status: estimateStatus, currency,
    lines: z.array(pricedLine.pick({ kind: true, description: true, quantity: true, unitPrice: true, taxRate: true, discount: true, tax: true, total: true })),
    ...totals, validUntil: localDate.nullable(), expiresAt: timestamp.nullable(), answeredAt: timestamp.nullable(),
  }),
);

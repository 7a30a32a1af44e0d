import { isRealDate, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import { lineKinds } from '../../domain/estimate';
import { invoiceStatuses, paymentMethods } from '../../domain/invoice';
import { divideRounded } from '../../domain/money';

/** Largest amount accepted anywhere (minor units): keeps every product and sum a safe integer. */
const MAX_AMOUNT = 1_000_000_000_000;

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  // isRealDate never throws: zod runs this after a failed regex too ("", "NaN", "9999-99-99")
  .refine(isRealDate, 'is not a real calendar date');

/** quantity × unitPrice by the money module's rule (quantity in exact hundredths). Refinements run
 * even when a field already failed its bounds (1e308, a fraction of a cent), so out-of-range input
 * gives Infinity here, which every comparison rejects, instead of a BigInt RangeError. */
function grossOf(quantity: number, unitPrice: number): number {
  if (!Number.isSafeInteger(Math.round(quantity * 100)) || !Number.isSafeInteger(unitPrice)) return Number.POSITIVE_INFINITY;
  return Number(divideRounded(BigInt(Math.round(quantity * 100)) * BigInt(unitPrice), 100n));
}

const lineSchema = z
  .object({
    kind: z.enum(lineKinds),
    description: z.string().trim().min(1).max(500),
    code: z.string().trim().max(100).nullish(),
    quantity: z
      .number()
      .positive()
      .max(100_000)
      .refine((q) => Math.abs(Math.round(q * 100) - q * 100) < 1e-6, 'must have at most 2 decimals'),
    unitPrice: z.number().int('must be an integer amount in minor units').min(0).max(MAX_AMOUNT),
    taxRate: z.number().int('must be in basis points (2000 = 20 %)').min(0).max(10_000).default(0),
    discount: z.number().int('must be an integer amount in minor units').min(0).max(MAX_AMOUNT).default(0),
  })
  .refine((line) => grossOf(line.quantity, line.unitPrice) <= MAX_AMOUNT, {
    message: `quantity × unitPrice must not exceed ${MAX_AMOUNT}`,
    path: ['unitPrice'],
  })
  .refine((line) => !Number.isFinite(grossOf(line.quantity, line.unitPrice)) || line.discount <= grossOf(line.quantity, line.unitPrice), {
    message: 'must not exceed quantity × unitPrice',
    path: ['discount'],
  });

export const createEstimateBody = openApiRegistry.register(
  'CreateEstimate',
  z.object({
    customerId: z.string().min(1).max(100),
    vehicleId: z.string().min(1).max(100).nullish(),
    bookingId: z.string().min(1).max(100).nullish(),
    lines: z.array(lineSchema).min(1).max(200),
    validUntil: localDate.nullish(),
    notes: z.string().max(2000).nullish(),
  }).strict(),
);

export const updateEstimateBody = openApiRegistry.register(
  'UpdateEstimate',
  z
    .object({
      customerId: z.string().min(1).max(100),
      vehicleId: z.string().min(1).max(100).nullable(),
      bookingId: z.string().min(1).max(100).nullable(),
      lines: z.array(lineSchema).min(1).max(200),
      validUntil: localDate.nullable(),
      notes: z.string().max(2000).nullable(),
    })
    .partial()
    .strict()
    .refine((body) => Object.keys(body).length > 0, 'must change at least one field'),
);

export const sendEstimateBody = openApiRegistry.register(
  'SendEstimate',
  z.object({ expiresAt: z.iso.datetime({ offset: true }).optional(), to: z.email().max(320).optional() }).strict(),
);

export const answerBody = openApiRegistry.register('AnswerEstimate', z.object({ reason: z.string().trim().max(1000).nullish() }).strict());

export const recordPaymentBody = openApiRegistry.register(
  'RecordPayment',
  z
    .object({
      amount: z.number().int('must be an integer amount in minor units').positive().max(MAX_AMOUNT),
      method: z.enum(paymentMethods),
      reference: z.string().trim().max(200).nullish(),
      paidAt: z.iso.datetime({ offset: true }).optional(),
    })
    .strict(),
);

const quantityOf = (max: number) =>
  z
    .number()
    .positive()
    .max(max)
    .refine((q) => Math.abs(Math.round(q * 100) - q * 100) < 1e-6, 'must have at most 2 decimals');

/** A counter-sale line: a part names its inventory item and sells whole units; other lines are
 * priced like estimate lines. Every line carries its own tax rate. */
const saleLineSchema = z.union([
  lineSchema.safeExtend({ kind: z.literal('part'), itemId: z.string().min(1).max(100), quantity: z.number().int('parts sell whole units').positive().max(100_000) }),
  lineSchema.safeExtend({ kind: z.enum(['service', 'labor', 'fee']) }),
]);

export const createInvoiceBody = openApiRegistry.register(
  'CreateManualInvoice',
  z
    .object({
      customerId: z.string().min(1).max(100),
      vehicleId: z.string().min(1).max(100).nullish(),
      lines: z.array(saleLineSchema).min(1).max(200),
      notes: z.string().max(2000).nullish(),
    })
    .strict(),
);

export const createCreditNoteBody = openApiRegistry.register(
  'CreateCreditNote',
  z
    .object({
      reason: z.string().trim().min(1).max(1000),
      /** absent: credit everything still creditable; else these lines (a quantity credits part of one) */
      lines: z
        .array(z.object({ lineId: z.string().min(1).max(100), quantity: quantityOf(100_000).optional() }).strict())
        .min(1)
        .max(200)
        .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, 'must not name a line twice')
        .optional(),
    })
    .strict(),
);

export const recordRefundBody = openApiRegistry.register(
  'RecordRefund',
  z
    .object({
      amount: z.number().int('must be an integer amount in minor units').positive().max(MAX_AMOUNT),
      /** how the money goes back; the payment's method when absent */
      method: z.enum(paymentMethods).optional(),
      reason: z.string().trim().max(1000).nullish(),
      refundedAt: z.iso.datetime({ offset: true }).optional(),
    })
    .strict(),
);

export const creditNoteFilters = z.object({
  invoiceId: z.string().min(1).optional(),
  customerId: z.string().min(1).optional(),
});

export const voidInvoiceBody = openApiRegistry.register('VoidInvoice', z.object({ reason: z.string().trim().max(1000).nullish() }).strict());

/** `a,b` or repeated parameters → one list, each checked against the allowed values. */
export function listOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));
}

export const invoiceFilters = z.object({
  status: listOf(invoiceStatuses).optional(),
  source: z.enum(['booking', 'manual']).optional(),
  customerId: z.string().min(1).optional(),
  bookingId: z.string().min(1).optional(),
});

export const estimateFilters = z.object({
  status: listOf(['draft', 'sent', 'approved', 'rejected', 'expired']).optional(),
  customerId: z.string().min(1).optional(),
});

export const paymentFilters = z.object({
  method: listOf(paymentMethods).optional(),
  invoiceId: z.string().min(1).optional(),
});

import type { EventData } from '@pitlane/contracts';

import { documentTotals, lineAmounts, type DocumentTotals, type LineAmounts } from './money';

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid' | 'void';
export type LineKind = 'service' | 'part' | 'labor' | 'fee';
export type PaymentMethod = 'cash' | 'card' | 'bank_transfer' | 'cheque';
export const paymentMethods = ['cash', 'card', 'bank_transfer', 'cheque'] as const;

export interface PricedLine extends LineAmounts {
  id: string;
  kind: LineKind;
  description: string;
  code: string | null;
  quantity: number;
  unitPrice: number;
  taxRate: number;
}

/** `INV-2026-000042`: per garage and year; the sequence is allocated by data-access/numbering. */
export function invoiceNumber(year: number, seq: number): string {
  return `INV-${year}-${String(seq).padStart(6, '0')}`;
}

type BookingCompleted = EventData<'booking.completed'>;

/** The invoice lines of a completed booking, from the event alone: its services, then its parts.
 * Booking prices carry no discount, so discount is 0 here; estimates are where discounts are given. */
export function linesFromBooking(data: BookingCompleted): { lines: PricedLine[]; totals: DocumentTotals } {
  const lines: PricedLine[] = [
    ...data.services.map((service, index) => ({
      id: `svc-${index + 1}`,
      kind: 'service' as const,
      description: service.name,
      code: service.code,
      quantity: service.quantity,
      unitPrice: service.unitPrice,
      taxRate: service.taxRate,
      ...lineAmounts({ ...service, discount: 0 }),
    })),
    ...data.parts.map((part) => ({
      id: part.lineId,
      kind: 'part' as const,
      description: part.name,
      code: part.sku,
      quantity: part.quantity,
      unitPrice: part.unitPrice,
      taxRate: part.taxRate,
      ...lineAmounts({ ...part, discount: 0 }),
    })),
  ];
  return { lines, totals: documentTotals(lines) };
}

export interface PayableState {
  status: InvoiceStatus;
  balance: number;
  amountPaid: number;
}

export type PaymentOutcome =
  | { ok: true; status: InvoiceStatus; balance: number; amountPaid: number; paidInFull: boolean }
  | { ok: false; code: 'INVOICE_NOT_PAYABLE' | 'PAYMENT_EXCEEDS_BALANCE' };

/** What a payment does to an invoice: only issued/partially paid invoices take money, and never
 * more than the balance (no overpayment: refunds are out of scope, so a surplus could not be given back). */
export function applyPayment(invoice: PayableState, amount: number): PaymentOutcome {
  if (invoice.status !== 'issued' && invoice.status !== 'partially_paid') return { ok: false, code: 'INVOICE_NOT_PAYABLE' };
  if (amount > invoice.balance) return { ok: false, code: 'PAYMENT_EXCEEDS_BALANCE' };
  const balance = invoice.balance - amount;
  return {
    ok: true,
    status: balance === 0 ? 'paid' : 'partially_paid',
    balance,
    amountPaid: invoice.amountPaid + amount,
    paidInFull: balance === 0,
  };
}

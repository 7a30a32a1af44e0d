import type { EventData } from '@pitlane/contracts';

import type { CreditNoteRef, CreditReservation, LineCredit } from './credit-note';
import { documentTotals, lineAmounts, type DocumentTotals, type LineAmounts } from './money';
import type { RefundEntry } from './refund';

export type InvoiceStatus = 'issued' | 'partially_paid' | 'paid' | 'void' | 'partially_refunded' | 'refunded' | 'credited';
export const invoiceStatuses = ['issued', 'partially_paid', 'paid', 'void', 'partially_refunded', 'refunded', 'credited'] as const;
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
  /** part lines of a counter sale: the inventory item the stock comes from */
  itemId?: string | null;
}

export interface PaymentEntry {
  id: string;
  amount: number;
  method: PaymentMethod;
  reference: string | null;
  paidAt: Date;
  /** paidAt as a date in the garage's time zone, for GET /payments?dateFrom&dateTo */
  paidOn: string;
  idempotencyKey: string | null;
  createdAt: Date;
}

export type InvoiceSource = 'booking' | 'manual';

/** An invoice as stored and shown: lines priced once (money.ts), payments, refunds and credit inside it. */
export interface Invoice {
  _id: string;
  garageId: string;
  organisationId: string;
  number: string;
  year: number;
  seq: number;
  /** a completed booking, or a counter sale (POST /invoices: no booking) */
  source: InvoiceSource;
  bookingId: string | null;
  bookingNumber: string | null;
  customerId: string;
  customer: { firstName: string; lastName: string; email: string | null; phone: string | null };
  vehicleId: string | null;
  vehicle: { make: string; model: string; year: number | null; registration: string | null; vin: string | null } | null;
  technician: { id: string; name: string } | null;
  currency: string;
  issueDate: string;
  completedAt: Date | null;
  notes?: string | null;
  lines: PricedLine[];
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  amountPaid: number;
  /** what is still owed (settlement.ts: total − credit − (paid − refunded)), stored so a payment can be
   * a guarded single-document update; negative when money is owed back */
  balance: number;
  status: InvoiceStatus;
  payments: PaymentEntry[];
  amountRefunded: number;
  refunds: RefundEntry[];
  creditedTotal: number;
  /** per invoice line, what credit notes took off it so far */
  creditedLines: LineCredit[];
  creditNotes: CreditNoteRef[];
  /** credit notes decided on this invoice whose numbered document is not written yet (roll forward) */
  pendingCredits: CreditReservation[];
  paidAt: Date | null;
  voidedAt: Date | null;
  voidReason: string | null;
  createdAt: Date;
  updatedAt: Date;
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

/** The completion date in the garage's time zone (events from before that field fall back to UTC):
 * the invoice's date, and the year its number counts in. */
export function issueDateOf(data: BookingCompleted): { issueDate: string; year: number } {
  const issueDate = data.completedOn ?? data.completedAt.slice(0, 10);
  return { issueDate, year: Number(issueDate.slice(0, 4)) };
}

/** The invoice of a completed booking, from the event alone, once its number's sequence is known.
 * A zero total is paid on completion. */
export function invoiceFromBooking(
  data: BookingCompleted,
  ref: { id: string; garageId: string; organisationId: string },
  seq: number,
): Omit<Invoice, 'createdAt' | 'updatedAt'> {
  const { lines, totals } = linesFromBooking(data);
  const { issueDate, year } = issueDateOf(data);
  const completedAt = new Date(data.completedAt);
  const status = totals.total === 0 ? 'paid' : 'issued';
  const { customer, vehicle } = data;
  return {
    _id: ref.id,
    garageId: ref.garageId,
    organisationId: ref.organisationId,
    number: invoiceNumber(year, seq),
    year,
    seq,
    source: 'booking',
    bookingId: data.booking.bookingId,
    bookingNumber: data.booking.number,
    customerId: customer.id,
    customer: { firstName: customer.firstName, lastName: customer.lastName, email: customer.email, phone: customer.phone },
    vehicleId: vehicle.id,
    vehicle: { make: vehicle.make, model: vehicle.model, year: vehicle.year, registration: vehicle.registration, vin: vehicle.vin },
    technician: data.technician,
    currency: data.currency,
    issueDate,
    completedAt,
    lines,
    ...totals,
    amountPaid: 0,
    balance: totals.total,
    status,
    payments: [],
    ...noCreditYet(),
    paidAt: status === 'paid' ? completedAt : null,
    voidedAt: null,
    voidReason: null,
  };
}

/** A new invoice: nothing refunded or credited. */
export function noCreditYet(): Pick<Invoice, 'amountRefunded' | 'refunds' | 'creditedTotal' | 'creditedLines' | 'creditNotes' | 'pendingCredits'> {
  return { amountRefunded: 0, refunds: [], creditedTotal: 0, creditedLines: [], creditNotes: [], pendingCredits: [] };
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
 * more than the balance (no overpayment; once money went back, a new invoice is the way to charge again). */
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

/** Void: only an issued invoice that took no money and has no credit note (otherwise: a credit note). */
export function isVoidable(invoice: PayableState & { creditedTotal?: number }): boolean {
  return invoice.status === 'issued' && invoice.amountPaid === 0 && (invoice.creditedTotal ?? 0) === 0;
}

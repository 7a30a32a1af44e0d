import type { LineKind, PricedLine } from './invoice';
import { divideRounded } from './money';

/** One credited (part of an) invoice line: net and tax as they leave the invoice. */
export interface CreditNoteLine {
  lineId: string;
  kind: LineKind;
  description: string;
  code: string | null;
  quantity: number;
  unitPrice: number;
  taxRate: number;
  net: number;
  tax: number;
  total: number;
}

/** How much of one invoice line is credited so far (quantities in the line's own unit). */
export interface LineCredit {
  lineId: string;
  quantity: number;
  net: number;
  tax: number;
  total: number;
}

/** A credit note decided and reserved on its invoice, before its number exists (see credit-note.repository). */
export interface CreditReservation {
  id: string;
  reason: string;
  issueDate: string;
  year: number;
  lines: CreditNoteLine[];
  netTotal: number;
  taxTotal: number;
  total: number;
  createdAt: Date;
  /** the client's Idempotency-Key and what it asked for: a retry returns this credit note */
  idempotencyKey: string | null;
  fingerprint: string;
}

/** What the invoice lists of its numbered credit notes. */
export interface CreditNoteRef {
  id: string;
  number: string;
  issueDate: string;
  reason: string;
  total: number;
  idempotencyKey: string | null;
  fingerprint: string;
}

/** The credit note as stored and shown: a copy of what it credits, so it reads without its invoice. */
export interface CreditNote extends Omit<CreditReservation, 'id'> {
  _id: string;
  garageId: string;
  organisationId: string;
  number: string;
  seq: number;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customer: { firstName: string; lastName: string; email: string | null; phone: string | null };
  currency: string;
}

/** `CN-2026-000042`: per garage and year, gap-free like invoice numbers (data-access/numbering). */
export function creditNoteNumber(year: number, seq: number): string {
  return `CN-${year}-${String(seq).padStart(6, '0')}`;
}

export interface CreditRequestLine {
  lineId: string;
  /** part of the line's quantity; the whole remainder when absent */
  quantity?: number | undefined;
}

export type CreditDecision =
  | { ok: true; lines: CreditNoteLine[]; credited: LineCredit[]; netTotal: number; taxTotal: number; total: number }
  | { ok: false; code: 'INVOICE_NOT_CREDITABLE' }
  | { ok: false; code: 'UNKNOWN_LINE'; lineId: string }
  | { ok: false; code: 'CREDIT_EXCEEDS_INVOICE'; lineId: string | null; quantity: number; creditable: number };

const hundredths = (quantity: number) => Math.round(quantity * 100);

/**
 * What a credit note takes off an invoice: whole lines (the remainder of every line when `requested`
 * is null) or part of a line's quantity, never more than was invoiced less earlier credit. The last
 * part of a line takes exactly what is left of it, so credits of a line always add up to the line,
 * whatever rounding happened on the parts before (parts are pro rata of net, tax by the line's rate).
 */
export function decideCredit(
  invoice: { status: string; lines: PricedLine[]; creditedLines: LineCredit[]; total: number; creditedTotal: number },
  requested: CreditRequestLine[] | null,
): CreditDecision {
  if (invoice.status === 'void') return { ok: false, code: 'INVOICE_NOT_CREDITABLE' };
  const creditedOf = (lineId: string): LineCredit =>
    invoice.creditedLines.find((c) => c.lineId === lineId) ?? { lineId, quantity: 0, net: 0, tax: 0, total: 0 };
  const remainingOf = (line: PricedLine) => hundredths(line.quantity) - hundredths(creditedOf(line.id).quantity);
  const wanted: CreditRequestLine[] = requested ?? invoice.lines.filter((line) => remainingOf(line) > 0).map((line) => ({ lineId: line.id }));
  if (wanted.length === 0) return { ok: false, code: 'CREDIT_EXCEEDS_INVOICE', lineId: null, quantity: 0, creditable: 0 };

  const lines: CreditNoteLine[] = [];
  for (const want of wanted) {
    const line = invoice.lines.find((l) => l.id === want.lineId);
    if (!line) return { ok: false, code: 'UNKNOWN_LINE', lineId: want.lineId };
    const remaining = remainingOf(line);
    const take = want.quantity === undefined ? remaining : hundredths(want.quantity);
    if (take <= 0 || take > remaining) {
      return { ok: false, code: 'CREDIT_EXCEEDS_INVOICE', lineId: line.id, quantity: take / 100, creditable: Math.max(remaining, 0) / 100 };
    }
    const before = creditedOf(line.id);
    const left = { net: line.net - before.net, tax: line.tax - before.tax };
    let net = left.net;
    let tax = left.tax;
    if (take < remaining) {
      net = Math.min(left.net, Number(divideRounded(BigInt(line.net) * BigInt(take), BigInt(hundredths(line.quantity)))));
      tax = Math.min(left.tax, Number(divideRounded(BigInt(net) * BigInt(line.taxRate), 10_000n)));
    }
    const { id: lineId, kind, description, code, unitPrice, taxRate } = line;
    lines.push({ lineId, kind, description, code, quantity: take / 100, unitPrice, taxRate, net, tax, total: net + tax });
  }
  const netTotal = lines.reduce((sum, l) => sum + l.net, 0);
  const taxTotal = lines.reduce((sum, l) => sum + l.tax, 0);
  const total = netTotal + taxTotal;
  // holds by construction line by line; kept as the invariant the API promises
  if (invoice.creditedTotal + total > invoice.total) {
    return { ok: false, code: 'CREDIT_EXCEEDS_INVOICE', lineId: null, quantity: 0, creditable: invoice.total - invoice.creditedTotal };
  }
  const credited = invoice.lines.map((line) => {
    const before = creditedOf(line.id);
    const now = lines.filter((l) => l.lineId === line.id);
    return now.reduce(
      (acc, l) => ({ lineId: line.id, quantity: (hundredths(acc.quantity) + hundredths(l.quantity)) / 100, net: acc.net + l.net, tax: acc.tax + l.tax, total: acc.total + l.total }),
      before,
    );
  }).filter((c) => c.quantity > 0);
  return { ok: true, lines, credited, netTotal, taxTotal, total };
}

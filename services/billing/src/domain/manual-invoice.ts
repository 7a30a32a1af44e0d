import { noCreditYet, invoiceNumber, type Invoice, type LineKind, type PricedLine } from './invoice';
import { documentTotals, lineAmounts } from './money';

/** A line of a counter sale: parts name the inventory item their stock comes from (whole units). */
export interface SaleLineInput {
  kind: LineKind;
  itemId?: string | null;
  description: string;
  code?: string | null;
  quantity: number;
  unitPrice: number;
  taxRate: number;
  discount: number;
}

export interface ManualInvoiceInput {
  customer: Invoice['customer'] & { id: string };
  vehicle: (NonNullable<Invoice['vehicle']> & { id: string }) | null;
  lines: SaleLineInput[];
  notes: string | null;
}

/** A manual invoice (not from a booking): each line priced and taxed on its own by money.ts; a zero
 * total is paid at once, like a booking's. */
export function manualInvoice(
  ref: { id: string; garageId: string; organisationId: string; currency: string },
  input: ManualInvoiceInput,
  issue: { issueDate: string; now: Date },
  seq: number,
): Omit<Invoice, 'createdAt' | 'updatedAt'> {
  const lines: PricedLine[] = input.lines.map((line, index) => ({
    id: `ln-${index + 1}`,
    kind: line.kind,
    description: line.description,
    code: line.code ?? null,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    taxRate: line.taxRate,
    itemId: line.kind === 'part' ? (line.itemId ?? null) : null,
    ...lineAmounts(line),
  }));
  const totals = documentTotals(lines);
  const year = Number(issue.issueDate.slice(0, 4));
  const status = totals.total === 0 ? 'paid' : 'issued';
  const { id: customerId, ...customer } = input.customer;
  const vehicle = input.vehicle;
  return {
    _id: ref.id,
    garageId: ref.garageId,
    organisationId: ref.organisationId,
    number: invoiceNumber(year, seq),
    year,
    seq,
    source: 'manual',
    bookingId: null,
    bookingNumber: null,
    customerId,
    customer,
    vehicleId: vehicle?.id ?? null,
    vehicle: vehicle ? { make: vehicle.make, model: vehicle.model, year: vehicle.year, registration: vehicle.registration, vin: vehicle.vin } : null,
    technician: null,
    currency: ref.currency,
    issueDate: issue.issueDate,
    completedAt: null,
    notes: input.notes,
    lines,
    ...totals,
    amountPaid: 0,
    balance: totals.total,
    status,
    payments: [],
    ...noCreditYet(),
    paidAt: status === 'paid' ? issue.now : null,
    voidedAt: null,
    voidReason: null,
  };
}

/** The part lines that take stock (sale.parts_sold). */
export function soldParts(invoice: Pick<Invoice, 'lines'>): { lineId: string; itemId: string; sku: string | null; description: string; quantity: number }[] {
  return invoice.lines.flatMap((line) =>
    line.kind === 'part' && line.itemId ? [{ lineId: line.id, itemId: line.itemId, sku: line.code, description: line.description, quantity: line.quantity }] : [],
  );
}

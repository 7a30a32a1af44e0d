import { applyPayment, invoiceFromBooking, invoiceNumber, isVoidable, issueDateOf, linesFromBooking } from '../../src/domain/invoice';
import { bookingCompleted, BOOKING_TOTAL } from '../factories';

const ref = { id: 'inv-1', garageId: 'gar-1', organisationId: 'org-1' };

describe('invoice rules', () => {
  it('when a number is formatted, then it is INV-<year>-<six digits>', () => {
    expect(invoiceNumber(2026, 42)).toBe('INV-2026-000042');
    expect(invoiceNumber(2027, 1_234_567)).toBe('INV-2027-1234567');
  });

  it('when a booking completes, then its services come first, then its parts, each priced by the money rule', () => {
    const { lines, totals } = linesFromBooking(bookingCompleted());
    // 3 × 19.99 = 59.97 + 20 % (11.994 → 11.99) = 71.96; 2 × 25.00 = 50.00 + 19 % (9.50) = 59.50
    expect(lines.map((l) => [l.id, l.kind, l.code, l.net, l.tax, l.total])).toEqual([
      ['svc-1', 'service', 'OIL', 5997, 1199, 7196],
      ['line-1', 'part', 'FLT-01', 5000, 950, 5950],
    ]);
    expect(totals).toEqual({ subtotal: 10997, discountTotal: 0, taxTotal: 2149, total: BOOKING_TOTAL });
  });

  it("when the booking completed after midnight in the garage, then the invoice is dated and numbered in the garage's year", () => {
    const data = bookingCompleted({ completedAt: '2026-12-31T21:30:00.000Z', completedOn: '2027-01-01' });
    expect(issueDateOf(data)).toEqual({ issueDate: '2027-01-01', year: 2027 });
    expect(invoiceFromBooking(data, ref, 7)).toMatchObject({ number: 'INV-2027-000007', issueDate: '2027-01-01', year: 2027, seq: 7 });
    // events from before completedOn existed fall back to the UTC date
    expect(issueDateOf(bookingCompleted({ completedAt: '2026-12-31T21:30:00.000Z' }))).toEqual({ issueDate: '2026-12-31', year: 2026 });
  });

  it('when a booking is invoiced, then the invoice is issued with the whole total due; a zero total is paid on completion', () => {
    const issued = invoiceFromBooking(bookingCompleted(), ref, 1);
    expect(issued).toMatchObject({ status: 'issued', total: BOOKING_TOTAL, balance: BOOKING_TOTAL, amountPaid: 0, paidAt: null, payments: [] });
    const free = invoiceFromBooking(bookingCompleted({ services: [], parts: [] }), ref, 2);
    expect(free).toMatchObject({ status: 'paid', total: 0, balance: 0, paidAt: new Date('2026-11-20T15:30:00.000Z') });
  });

  it('when payments come in, then the balance goes down to exactly 0 and never below', () => {
    const invoice = { status: 'issued' as const, balance: 13146, amountPaid: 0 };
    expect(applyPayment(invoice, 5000)).toEqual({ ok: true, status: 'partially_paid', balance: 8146, amountPaid: 5000, paidInFull: false });
    expect(applyPayment({ status: 'partially_paid', balance: 8146, amountPaid: 5000 }, 8146)).toEqual({
      ok: true, status: 'paid', balance: 0, amountPaid: 13146, paidInFull: true,
    });
    expect(applyPayment(invoice, 13147)).toEqual({ ok: false, code: 'PAYMENT_EXCEEDS_BALANCE' });
    expect(applyPayment({ status: 'paid', balance: 0, amountPaid: 13146 }, 1)).toEqual({ ok: false, code: 'INVOICE_NOT_PAYABLE' });
    expect(applyPayment({ status: 'void', balance: 0, amountPaid: 0 }, 1)).toEqual({ ok: false, code: 'INVOICE_NOT_PAYABLE' });
  });

  it('when an invoice took money or is not issued, then it cannot be voided', () => {
    expect(isVoidable({ status: 'issued', balance: 100, amountPaid: 0 })).toBe(true);
    expect(isVoidable({ status: 'partially_paid', balance: 99, amountPaid: 1 })).toBe(false);
    expect(isVoidable({ status: 'paid', balance: 0, amountPaid: 0 })).toBe(false);
    expect(isVoidable({ status: 'void', balance: 0, amountPaid: 0 })).toBe(false);
  });
});

import { todayIn } from '@pitlane/core';

import { BOOKING_TOTAL, newGarage, type TestGarage } from './factories';
import { startHarness, type Harness } from './harness';
import { pdfText } from './pdf-text';

type CreditEvent = { creditNote: { number: string; invoiceId: string; total: number; lines: { lineId: string }[] }; invoice: { status: string; creditedTotal: number } };

/** The booking of factories.ts: svc-1 = 3 × 19.99 at 20 % (5997 + 1199 = 7196), line-1 = 2 × 25.00 at 19 % (5000 + 950 = 5950). */
describe('credit notes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  const year = () => todayIn('Europe/Berlin').slice(0, 4);
  const cn = (seq: number) => `CN-${year()}-${String(seq).padStart(6, '0')}`;
  const credit = (garage: TestGarage, invoiceId: string, body: unknown, key?: string) =>
    h.api(garage, 'POST', `/invoices/${invoiceId}/credit-notes`, body, key ? { headers: { 'idempotency-key': key } } : {});

  it('when part of a line, the rest of it and another whole line are credited, then the credits add up to the invoice exactly and it is credited', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);

    const one = await credit(garage, invoice.id, { reason: 'one oil change not done', lines: [{ lineId: 'svc-1', quantity: 1 }] });
    expect(one.status).toBe(201);
    // 5997 / 3 = 1999; tax 20 % of 1999 = 399.8 → 400
    expect(one.body.data).toMatchObject({
      number: cn(1),
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      reason: 'one oil change not done',
      lines: [{ lineId: 'svc-1', quantity: 1, net: 1999, tax: 400, total: 2399 }],
      total: 2399,
      invoice: { status: 'issued', creditedTotal: 2399, balance: BOOKING_TOTAL - 2399 },
    });

    // the rest of the line is what is left of it, not 2 × 2399 (which would credit 7198 > 7196)
    const rest = await credit(garage, invoice.id, { reason: 'rest', lines: [{ lineId: 'svc-1' }] });
    expect(rest.body.data).toMatchObject({ number: cn(2), lines: [{ quantity: 2, net: 3998, tax: 799, total: 4797 }], total: 4797 });
    const tooMuch = await credit(garage, invoice.id, { reason: 'again', lines: [{ lineId: 'svc-1', quantity: 1 }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: 'CREDIT_EXCEEDS_INVOICE', details: { lineId: 'svc-1', creditable: 0 } });

    const whole = await credit(garage, invoice.id, { reason: 'filter returned' });
    expect(whole.body.data).toMatchObject({ number: cn(3), lines: [{ lineId: 'line-1', net: 5000, tax: 950, total: 5950 }], total: 5950 });
    expect(whole.body.data.invoice).toMatchObject({ status: 'credited', creditedTotal: BOOKING_TOTAL, balance: 0 });
    expect((await credit(garage, invoice.id, { reason: 'nothing left' })).body.error?.code).toBe('CREDIT_EXCEEDS_INVOICE');

    const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(read.body.data.creditNotes.map((c: { number: string; total: number }) => [c.number, c.total])).toEqual([
      [cn(1), 2399],
      [cn(2), 4797],
      [cn(3), 5950],
    ]);
    const created = await h.events.next<CreditEvent>('credit_note.created', (e) => e.data.creditNote.number === cn(3));
    expect(created.data.invoice).toMatchObject({ status: 'credited', creditedTotal: BOOKING_TOTAL });
    const listed = await h.api(garage, 'GET', `/credit-notes?invoiceId=${invoice.id}&sort=number`);
    expect(listed.body.data.map((c: { number: string }) => c.number)).toEqual([cn(1), cn(2), cn(3)]);
    expect((await h.api(garage, 'GET', `/credit-notes/${one.body.data.id}`)).body.data.total).toBe(2399);
    expect((await h.api(newGarage(), 'GET', `/credit-notes/${one.body.data.id}`)).status).toBe(404);
  });

  it('when 15 credit notes race for a line that covers 10, then exactly 10 are made, numbered without gaps, crediting the line to the minor unit', async () => {
    const garage = newGarage();
    // 10 × 3.33 at 20 %: net 3330, tax 666, total 3996; a tenth is 333 + 67 = 400, the last one 333 + 63
    const services = [{ serviceId: 'svc-x', name: 'Bulbs', code: 'BLB', unitPrice: 333, quantity: 10, taxRate: 2000 }];
    const a = await h.completeBooking(garage, { services, parts: [] });
    const b = await h.completeBooking(garage, { services, parts: [] });
    const race = (invoiceId: string) =>
      Array.from({ length: 15 }, (_, i) => credit(garage, invoiceId, { reason: `bulb ${i}`, lines: [{ lineId: 'svc-1', quantity: 1 }] }));
    const results = await Promise.all([...race(a.id), ...race(b.id)]);

    expect(results.filter((r) => r.status === 201)).toHaveLength(20);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error?.code)).toEqual(Array(10).fill('CREDIT_EXCEEDS_INVOICE'));
    const numbers = results.filter((r) => r.status === 201).map((r) => r.body.data.number as string).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => cn(i + 1)));
    for (const invoice of [a, b]) {
      const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
      expect(read.body.data).toMatchObject({ status: 'credited', creditedTotal: 3996, balance: 0, creditedLines: [{ lineId: 'svc-1', quantity: 10, net: 3330, tax: 666 }] });
    }
    await h.settle();
    expect(h.events.ofType<CreditEvent>('credit_note.created').filter((e) => [a.id, b.id].includes(e.data.creditNote.invoiceId))).toHaveLength(20);
  });

  it('when a credit note is retried with the same Idempotency-Key, then it is made once', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const body = { reason: 'goodwill', lines: [{ lineId: 'line-1', quantity: 1 }] };
    const attempts = await Promise.all([credit(garage, invoice.id, body, 'cn-1'), credit(garage, invoice.id, body, 'cn-1'), credit(garage, invoice.id, body, 'cn-1')]);
    // twins in flight together: one runs, the others are told IDEMPOTENCY_KEY_IN_USE (or replay it if it already ended)
    const made = attempts.filter((a) => a.status === 201);
    expect(attempts.filter((a) => a.status !== 201).map((a) => [a.status, a.body.error?.code])).toEqual(Array(3 - made.length).fill([409, 'IDEMPOTENCY_KEY_IN_USE']));
    expect(made.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const retry = await credit(garage, invoice.id, body, 'cn-1');
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(new Set([...made, retry].map((a) => a.body.data.number)).size).toBe(1);
    expect((await credit(garage, invoice.id, { ...body, reason: 'other' }, 'cn-1')).body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await h.api(garage, 'GET', `/invoices/${invoice.id}`)).body.data.creditedTotal).toBe(2975); // 2500 + 475
  });

  it('when a writer dies between reserving the credit and numbering it, then the next credit note or the sweep finishes it, with no gap', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const { repositories, useCases } = h.billing.context;
    // stage the crash: step 1 (the reservation on the invoice) without step 2 (the numbered document)
    const stored = await repositories.invoices.find(garage.garageId, invoice.id);
    if (!stored) throw new Error('invoice not found');
    const line = { lineId: 'line-1', kind: 'part' as const, description: 'Oil filter', code: 'FLT-01', quantity: 2, unitPrice: 2500, taxRate: 1900, net: 5000, tax: 950, total: 5950 };
    const reservation = { id: 'cn-abandoned', reason: 'abandoned', issueDate: todayIn('Europe/Berlin'), year: Number(year()), lines: [line], netTotal: 5000, taxTotal: 950, total: 5950, createdAt: new Date(Date.now() - 60_000), idempotencyKey: null, fingerprint: '' };
    const set = { status: 'issued' as const, balance: BOOKING_TOTAL - 5950, creditedTotal: 5950, creditedLines: [{ lineId: 'line-1', quantity: 2, net: 5000, tax: 950, total: 5950 }] };
    expect(await repositories.creditNotes.reserveIfUnchanged(stored, reservation, set, [])).toBe(true);
    expect((await h.api(garage, 'GET', '/credit-notes')).body.pagination?.total).toBe(0);

    const next = await credit(garage, invoice.id, { reason: 'later', lines: [{ lineId: 'svc-1', quantity: 1 }] });
    expect(next.body.data.number).toBe(cn(2));
    expect((await h.api(garage, 'GET', '/credit-notes/cn-abandoned')).body.data).toMatchObject({ number: cn(1), total: 5950 });
    expect((await h.api(garage, 'GET', `/invoices/${invoice.id}`)).body.data).toMatchObject({ creditedTotal: 5950 + 2399 });

    // the sweep, for an invoice nobody touches again
    const other = await h.completeBooking(garage);
    const otherStored = await repositories.invoices.find(garage.garageId, other.id);
    if (!otherStored) throw new Error('invoice not found');
    expect(await repositories.creditNotes.reserveIfUnchanged(otherStored, { ...reservation, id: 'cn-swept' }, set, [])).toBe(true);
    await useCases.sweepPendingCredits(30_000);
    expect((await h.api(garage, 'GET', '/credit-notes/cn-swept')).body.data.number).toBe(cn(3));
    expect((await h.api(garage, 'GET', `/invoices/${other.id}`)).body.data.creditNotes).toEqual([expect.objectContaining({ number: cn(3) })]);
  });

  it('when a credit note is downloaded, then it is a PDF with its number, the invoice it credits, the reason and the amounts', async () => {
    const garage = newGarage({ name: 'Speedy Repairs' });
    const invoice = await h.completeBooking(garage);
    const made = await credit(garage, invoice.id, { reason: 'filter returned unused', lines: [{ lineId: 'line-1' }] });
    const { response, body } = await h.download(garage, `/credit-notes/${made.body.data.id}/pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="${made.body.data.number}.pdf"`);
    expect(pdfText(body)).toEqual(
      expect.arrayContaining(['Speedy Repairs', `Credit note ${made.body.data.number}`, `Credits invoice ${invoice.number}`, 'Reason: filter returned unused', 'Oil filter', '59.50 EUR', '9.50 EUR']),
    );
    expect(pdfText((await h.download(garage, `/invoices/${invoice.id}/pdf`)).body).some((run) => run.includes(made.body.data.number))).toBe(true);
  });

  it('when a credit note is invalid or the invoice is void, then 400 / 409 INVOICE_NOT_CREDITABLE and nothing is credited', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    expect((await credit(garage, invoice.id, { lines: [{ lineId: 'svc-1' }] })).status).toBe(400);
    expect((await credit(garage, invoice.id, { reason: 'x', lines: [{ lineId: 'nope' }] })).body.error?.details).toEqual([
      { field: 'lines', message: `invoice ${invoice.number} has no line nope` },
    ]);
    expect((await credit(garage, invoice.id, { reason: 'x', lines: [{ lineId: 'svc-1' }, { lineId: 'svc-1' }] })).status).toBe(400);
    expect((await credit(garage, invoice.id, { reason: 'x', lines: [{ lineId: 'svc-1', quantity: 0.001 }] })).status).toBe(400);
    expect((await credit(garage, 'no-such-invoice', { reason: 'x' })).status).toBe(404);
    await h.api(garage, 'POST', `/invoices/${invoice.id}/void`, {});
    const refused = await credit(garage, invoice.id, { reason: 'x' });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('INVOICE_NOT_CREDITABLE');

    const credited = await h.completeBooking(garage);
    await credit(garage, credited.id, { reason: 'part', lines: [{ lineId: 'line-1' }] });
    expect((await h.api(garage, 'POST', `/invoices/${credited.id}/void`, {})).body.error?.code).toBe('INVALID_STATUS_TRANSITION');
  });
});

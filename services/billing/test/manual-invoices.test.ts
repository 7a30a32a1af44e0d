import { todayIn } from '@pitlane/core';

import { newGarage } from './factories';
import { startHarness, type Harness } from './harness';

type SoldEvent = { invoiceId: string; invoiceNumber: string; customerId: string; lines: { lineId: string; itemId: string; sku: string | null; quantity: number }[] };

describe('manual invoices (counter sales)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  // 2 × 12.99 at 19 % = 2598 + 493.62 → 494 = 3092; 0.5 h × 80.00 at 20 % − 5.00 = 3500 + 700 = 4200; fee 2.50 at 0 %
  const lines = [
    { kind: 'part', itemId: 'itm-wiper', code: 'WPR-01', description: 'Wiper blade', quantity: 2, unitPrice: 1299, taxRate: 1900 },
    { kind: 'labor', description: 'Fitting', quantity: 0.5, unitPrice: 8000, taxRate: 2000, discount: 500 },
    { kind: 'fee', description: 'Disposal', quantity: 1, unitPrice: 250 },
  ];

  it('when a counter sale is invoiced, then each line is taxed on its own, the number is the next INV and sale.parts_sold names the stock', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const before = await h.completeBooking(garage);
    const made = await h.api(garage, 'POST', '/invoices', { customerId: customer.id, lines, notes: 'walk-in' });
    expect(made.status).toBe(201);
    // one INV sequence per garage and year for both kinds (the booking's invoice counts in its own year)
    const year = todayIn(garage.timezone).slice(0, 4);
    const seq = before.number.startsWith(`INV-${year}-`) ? 2 : 1;
    expect(made.body.data).toMatchObject({
      number: `INV-${year}-00000${seq}`,
      source: 'manual',
      bookingId: null,
      vehicle: null,
      status: 'issued',
      customer: { firstName: 'Ada', lastName: 'Lovelace' },
      notes: 'walk-in',
      subtotal: 2598 + 4000 + 250,
      discountTotal: 500,
      taxTotal: 494 + 700,
      total: 3092 + 4200 + 250,
      balance: 7542,
    });
    expect(made.body.data.lines.map((l: { id: string; itemId: string | null; tax: number; total: number }) => [l.id, l.itemId, l.tax, l.total])).toEqual([
      ['ln-1', 'itm-wiper', 494, 3092],
      ['ln-2', null, 700, 4200],
      ['ln-3', null, 0, 250],
    ]);
    const sold = await h.events.next<SoldEvent>('sale.parts_sold', (e) => e.data.invoiceId === made.body.data.id);
    expect(sold.data).toMatchObject({ invoiceNumber: made.body.data.number, customerId: customer.id, lines: [{ lineId: 'ln-1', itemId: 'itm-wiper', sku: 'WPR-01', quantity: 2 }] });
    const created = await h.events.next<{ invoice: { invoiceId: string; source: string; bookingId: null } }>('invoice.created', (e) => e.data.invoice.invoiceId === made.body.data.id);
    expect(created.data.invoice).toMatchObject({ source: 'manual', bookingId: null });

    // it is an invoice like the others: paid, credited, listed
    expect((await h.api(garage, 'POST', `/invoices/${made.body.data.id}/payments`, { amount: 7542, method: 'cash' })).body.data.invoice.status).toBe('paid');
    expect((await h.api(garage, 'GET', '/invoices?source=manual')).body.data.map((i: { id: string }) => i.id)).toEqual([made.body.data.id]);
    expect((await h.download(garage, `/invoices/${made.body.data.id}/pdf`)).response.status).toBe(200);
  });

  it('when a sale is retried with the same Idempotency-Key, then there is one invoice and one sale.parts_sold', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const sell = () => h.api(garage, 'POST', '/invoices', { customerId: customer.id, lines }, { headers: { 'idempotency-key': 'pos-42' } });
    const attempts = await Promise.all([sell(), sell(), sell()]);
    // twins in flight together: one runs, the others are told IDEMPOTENCY_KEY_IN_USE (or replay it if it already ended)
    const made = attempts.filter((a) => a.status === 201);
    expect(attempts.filter((a) => a.status !== 201).map((a) => [a.status, a.body.error?.code])).toEqual(Array(3 - made.length).fill([409, 'IDEMPOTENCY_KEY_IN_USE']));
    const retry = await sell();
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(new Set([...made, retry].map((a) => a.body.data.id)).size).toBe(1);
    await h.settle();
    expect(h.events.ofType<SoldEvent>('sale.parts_sold').filter((e) => e.data.invoiceId === retry.body.data.id)).toHaveLength(1);
    expect((await h.api(garage, 'GET', '/invoices')).body.pagination?.total).toBe(1);
  });

  it('when a sale is invalid or the customer unknown, then 400 / 404 and no invoice', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const post = (body: unknown) => h.api(garage, 'POST', '/invoices', body);
    expect((await post({ customerId: customer.id, lines: [{ ...lines[0], quantity: 1.5 }] })).status).toBe(400);
    expect((await post({ customerId: customer.id, lines: [{ ...lines[0], itemId: undefined }] })).status).toBe(400);
    expect((await post({ customerId: customer.id, lines: [] })).status).toBe(400);
    expect((await post({ customerId: 'cus-unknown', lines })).status).toBe(404);
    expect((await post({ customerId: customer.id, vehicleId: 'veh-unknown', lines })).status).toBe(404);
    expect((await h.api(garage, 'GET', '/invoices')).body.pagination?.total).toBe(0);
  });
});

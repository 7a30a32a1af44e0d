import { BOOKING_TOTAL, newGarage } from './factories';
import { startHarness, type Harness } from './harness';

type InvoiceEvent = { invoice: { invoiceId: string; status: string; amountPaid: number } };

describe('payments', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  const eventsFor = (type: string, invoiceId: string) =>
    h.events.ofType<InvoiceEvent>(type).filter((e) => e.data.invoice.invoiceId === invoiceId);

  it('when partial payments add up to the total, then the invoice goes partially_paid → paid and invoice.paid comes once', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    expect(invoice.total).toBe(BOOKING_TOTAL);

    const first = await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: 5000, method: 'card', reference: 'POS-1' });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ amount: 5000, method: 'card', reference: 'POS-1', invoice: { status: 'partially_paid', amountPaid: 5000, balance: BOOKING_TOTAL - 5000 } });

    const second = await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, {
      amount: BOOKING_TOTAL - 5000,
      method: 'bank_transfer',
      paidAt: '2026-11-21T09:00:00Z',
    });
    expect(second.status).toBe(201);
    expect(second.body.data.invoice).toMatchObject({ status: 'paid', amountPaid: BOOKING_TOTAL, balance: 0, paidAt: '2026-11-21T09:00:00.000Z' });

    const paid = await h.events.next<InvoiceEvent & { paidAt: string }>('invoice.paid', (e) => e.data.invoice.invoiceId === invoice.id);
    expect(paid.data).toMatchObject({ invoice: { status: 'paid', amountPaid: BOOKING_TOTAL }, paidAt: '2026-11-21T09:00:00.000Z' });
    await h.events.next<InvoiceEvent>('payment.recorded', (e) => e.data.invoice.invoiceId === invoice.id && e.data.invoice.status === 'paid');
    const recorded = h.events
      .ofType<InvoiceEvent & { payment: { amount: number; method: string; reference: string | null } }>('payment.recorded')
      .filter((e) => e.data.invoice.invoiceId === invoice.id);
    expect(recorded.map((e) => [e.data.invoice.amountPaid, e.data.payment.amount, e.data.payment.method, e.data.payment.reference])).toEqual([
      [5000, 5000, 'card', 'POS-1'],
      [BOOKING_TOTAL, BOOKING_TOTAL - 5000, 'bank_transfer', null],
    ]);
    expect(eventsFor('invoice.paid', invoice.id)).toHaveLength(1);

    const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(read.body.data.payments.map((p: { amount: number; method: string }) => [p.amount, p.method])).toEqual([
      [5000, 'card'],
      [BOOKING_TOTAL - 5000, 'bank_transfer'],
    ]);
  });

  it('when a payment exceeds the balance, then it is refused with 409 PAYMENT_EXCEEDS_BALANCE and nothing changes', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: 10000, method: 'cash' });

    const over = await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: BOOKING_TOTAL - 10000 + 1, method: 'cash' });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ type: 'ConflictError', code: 'PAYMENT_EXCEEDS_BALANCE', details: { balance: BOOKING_TOTAL - 10000 } });
    const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(read.body.data).toMatchObject({ amountPaid: 10000, status: 'partially_paid' });
  });

  it('when 10 payments race for a balance that covers 4, then exactly 4 succeed and amountPaid never passes the total', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const amount = 3000; // 4 × 3000 = 12 000 ≤ 13 146 < 5 × 3000

    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount, method: 'card' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error?.code)).toEqual(Array(6).fill('PAYMENT_EXCEEDS_BALANCE'));

    const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(read.body.data).toMatchObject({ amountPaid: 12000, balance: BOOKING_TOTAL - 12000, status: 'partially_paid' });
    expect(read.body.data.payments).toHaveLength(4);

    // the last 11.46 race too: exactly one takes the balance to zero, so invoice.paid is emitted once
    const last = await Promise.all(
      Array.from({ length: 5 }, () => h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: BOOKING_TOTAL - 12000, method: 'cash' })),
    );
    expect(last.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    // every event billing wrote is recorded by now, so these counts are final (not "so far")
    await h.settle();
    expect(eventsFor('invoice.paid', invoice.id)).toHaveLength(1);
    expect(eventsFor('payment.recorded', invoice.id)).toHaveLength(5);
  });

  it('when a payment is retried with the same Idempotency-Key, then it is recorded once and the retry gets the same payment', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const pay = (amount: number, key = 'pay-7f3a') =>
      h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount, method: 'card' }, { headers: { 'idempotency-key': key } });

    const attempts = await Promise.all([pay(2000), pay(2000), pay(2000)]);
    // twins in flight together: one runs, the others are told IDEMPOTENCY_KEY_IN_USE (or replay it if it already ended)
    const made = attempts.filter((a) => a.status === 201);
    expect(attempts.filter((a) => a.status !== 201).map((a) => [a.status, a.body.error?.code])).toEqual(Array(3 - made.length).fill([409, 'IDEMPOTENCY_KEY_IN_USE']));
    expect(made.filter((a) => a.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const retry = await pay(2000);
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(new Set([...made, retry].map((a) => a.body.data.id)).size).toBe(1);

    const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(read.body.data).toMatchObject({ amountPaid: 2000, payments: [{ amount: 2000 }] });
    expect((await pay(2500)).body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await pay(2000, 'another-key')).status).toBe(201);
    expect((await pay(1, 'bad key with spaces')).status).toBe(400);
    await h.events.next<InvoiceEvent>('payment.recorded', (e) => e.data.invoice.invoiceId === invoice.id && e.data.invoice.amountPaid === 4000);
    expect(eventsFor('payment.recorded', invoice.id)).toHaveLength(2);
  });

  it('when an unpaid invoice is voided, then it is void, emits invoice.voided and takes no payment; a paid one cannot be voided', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const voided = await h.api(garage, 'POST', `/invoices/${invoice.id}/void`, { reason: 'booked twice' });
    expect(voided.status).toBe(200);
    expect(voided.body.data).toMatchObject({ status: 'void', balance: 0, voidReason: 'booked twice' });
    const event = await h.events.next<InvoiceEvent & { reason: string }>('invoice.voided', (e) => e.data.invoice.invoiceId === invoice.id);
    expect(event.data).toMatchObject({ invoice: { status: 'void' }, reason: 'booked twice' });

    const payment = await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: 100, method: 'cash' });
    expect(payment.status).toBe(409);
    expect(payment.body.error?.code).toBe('INVOICE_NOT_PAYABLE');
    expect((await h.api(garage, 'POST', `/invoices/${invoice.id}/void`, {})).body.error?.code).toBe('INVALID_STATUS_TRANSITION');

    const partly = await h.completeBooking(garage);
    await h.api(garage, 'POST', `/invoices/${partly.id}/payments`, { amount: 100, method: 'cash' });
    const refused = await h.api(garage, 'POST', `/invoices/${partly.id}/void`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('INVALID_STATUS_TRANSITION');
  });

  it('when a payment body is invalid, then it is a 400 listing each field', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const response = await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: 12.5, method: 'bitcoin', extra: 1 });
    expect(response.status).toBe(400);
    expect(response.body.error?.details?.map((d) => d.field).sort()).toEqual(['(body)', 'amount', 'method']);
    const future = await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: 1, method: 'cash', paidAt: '2099-01-01T00:00:00Z' });
    expect(future.body.error?.details).toEqual([{ field: 'paidAt', message: 'must not be in the future' }]);
    const readOnly = await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: 1, method: 'cash' }, { permission: 'read' });
    expect(readOnly.status).toBe(403);
  });

  it('when payments are listed, then they can be filtered by method and date (garage time zone) and paged', async () => {
    const garage = newGarage({ timezone: 'Asia/Tokyo' });
    const a = await h.completeBooking(garage);
    const b = await h.completeBooking(garage);
    // 23:30 UTC on the 1st is already the 2nd in Tokyo
    await h.api(garage, 'POST', `/invoices/${a.id}/payments`, { amount: 100, method: 'cash', paidAt: '2026-11-01T23:30:00Z' });
    await h.api(garage, 'POST', `/invoices/${a.id}/payments`, { amount: 200, method: 'card', paidAt: '2026-11-03T10:00:00Z' });
    await h.api(garage, 'POST', `/invoices/${b.id}/payments`, { amount: 300, method: 'cash', paidAt: '2026-11-05T10:00:00Z' });

    const cash = await h.api(garage, 'GET', '/payments?method=cash&sort=paidAt');
    expect(cash.body.data.map((p: { amount: number; invoiceNumber: string }) => [p.amount, p.invoiceNumber])).toEqual([
      [100, a.number],
      [300, b.number],
    ]);
    expect(cash.body.data[0]).toMatchObject({ invoiceId: a.id, currency: 'EUR', paidOn: '2026-11-02' });

    const onTheSecond = await h.api(garage, 'GET', '/payments?dateFrom=2026-11-02&dateTo=2026-11-03');
    expect(onTheSecond.body.data.map((p: { amount: number }) => p.amount)).toEqual([200, 100]);

    const paged = await h.api(garage, 'GET', '/payments?limit=1&page=3');
    expect(paged.body.data.map((p: { amount: number }) => p.amount)).toEqual([100]);
    expect(paged.body.pagination).toEqual({ page: 3, limit: 1, total: 3, totalPages: 3, hasMore: false });

    const ofInvoice = await h.api(garage, 'GET', `/invoices/${b.id}/payments`);
    expect(ofInvoice.body.data.map((p: { amount: number }) => p.amount)).toEqual([300]);
    expect((await h.api(newGarage(), 'GET', '/payments')).body.pagination?.total).toBe(0);
    expect((await h.api(garage, 'GET', '/payments?method=barter')).status).toBe(400);
  });
});

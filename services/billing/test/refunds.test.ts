import { BOOKING_TOTAL, newGarage, type TestGarage } from './factories';
import { startHarness, type Harness } from './harness';

type RefundEvent = {
  invoice: { invoiceId: string; status: string; amountPaid: number; amountRefunded: number };
  payment: { id: string; refundedTotal: number };
  refund: { amount: number; method: string; reason: string | null };
};

describe('refunds', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  const pay = async (garage: TestGarage, invoiceId: string, amount: number) =>
    (await h.api(garage, 'POST', `/invoices/${invoiceId}/payments`, { amount, method: 'card' })).body.data.id as string;
  const refund = (garage: TestGarage, invoiceId: string, paymentId: string, body: unknown, key?: string) =>
    h.api(garage, 'POST', `/invoices/${invoiceId}/payments/${paymentId}/refunds`, body, key ? { headers: { 'idempotency-key': key } } : {});

  it('when a paid invoice gets a credit note and the money back, then balance and status follow: paid → partially_refunded → refunded', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const paymentId = await pay(garage, invoice.id, BOOKING_TOTAL);

    const credited = await h.api(garage, 'POST', `/invoices/${invoice.id}/credit-notes`, { reason: 'filter returned', lines: [{ lineId: 'line-1' }] });
    // credited 5950 on a paid invoice: the garage owes 5950 back
    expect(credited.body.data.invoice).toMatchObject({ status: 'paid', balance: -5950, creditedTotal: 5950 });

    const back = await refund(garage, invoice.id, paymentId, { amount: 5950, reason: 'filter returned' });
    expect(back.status).toBe(201);
    expect(back.body.data).toMatchObject({ paymentId, amount: 5950, method: 'card', reason: 'filter returned' });
    expect(back.body.data.invoice).toMatchObject({ status: 'partially_refunded', balance: 0, amountPaid: BOOKING_TOTAL, amountRefunded: 5950 });
    const event = await h.events.next<RefundEvent>('payment.refunded', (e) => e.data.invoice.invoiceId === invoice.id);
    expect(event.data).toMatchObject({
      invoice: { status: 'partially_refunded', amountRefunded: 5950, amountPaid: BOOKING_TOTAL },
      payment: { id: paymentId, refundedTotal: 5950 },
      refund: { amount: 5950, method: 'card', reason: 'filter returned' },
    });

    const over = await refund(garage, invoice.id, paymentId, { amount: BOOKING_TOTAL - 5950 + 1, method: 'cash' });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'REFUND_EXCEEDS_PAYMENT', details: { refundable: BOOKING_TOTAL - 5950 } });

    const rest = await refund(garage, invoice.id, paymentId, { amount: BOOKING_TOTAL - 5950, method: 'cash' });
    // money back without a credit note: the customer owes it again
    expect(rest.body.data.invoice).toMatchObject({ status: 'refunded', amountRefunded: BOOKING_TOTAL, balance: BOOKING_TOTAL - 5950 });
    const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(read.body.data.payments).toEqual([expect.objectContaining({ id: paymentId, refundedAmount: BOOKING_TOTAL })]);
    expect(read.body.data.refunds.map((r: { amount: number; method: string }) => [r.amount, r.method])).toEqual([
      [5950, 'card'],
      [BOOKING_TOTAL - 5950, 'cash'],
    ]);
    expect((await h.api(garage, 'GET', '/invoices?status=refunded')).body.data.map((i: { id: string }) => i.id)).toEqual([invoice.id]);
  });

  it('when a fully credited invoice is refunded, then it stays credited and its balance reaches 0', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const paymentId = await pay(garage, invoice.id, 10000);
    const credited = await h.api(garage, 'POST', `/invoices/${invoice.id}/credit-notes`, { reason: 'job cancelled' });
    expect(credited.body.data.invoice).toMatchObject({ status: 'credited', balance: -10000 });
    const back = await refund(garage, invoice.id, paymentId, { amount: 10000 });
    expect(back.body.data.invoice).toMatchObject({ status: 'credited', balance: 0, amountRefunded: 10000 });
  });

  it('when 10 refunds race for a payment that covers 3, then exactly 3 succeed and the payment is never over-refunded', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const paymentId = await pay(garage, invoice.id, 10000);
    const results = await Promise.all(Array.from({ length: 10 }, () => refund(garage, invoice.id, paymentId, { amount: 3000 })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error?.code)).toEqual(Array(7).fill('REFUND_EXCEEDS_PAYMENT'));

    const last = await Promise.all(Array.from({ length: 5 }, () => refund(garage, invoice.id, paymentId, { amount: 1000 })));
    expect(last.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const read = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(read.body.data).toMatchObject({ amountPaid: 10000, amountRefunded: 10000, status: 'refunded', balance: BOOKING_TOTAL });
    expect(read.body.data.refunds).toHaveLength(4);
    await h.settle();
    expect(h.events.ofType<RefundEvent>('payment.refunded').filter((e) => e.data.invoice.invoiceId === invoice.id)).toHaveLength(4);
  });

  it('when a refund is retried with the same Idempotency-Key, then money goes back once', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const paymentId = await pay(garage, invoice.id, 5000);
    const attempts = await Promise.all([1, 2, 3].map(() => refund(garage, invoice.id, paymentId, { amount: 2000 }, 'rf-1')));
    // twins in flight together: one runs, the others are told IDEMPOTENCY_KEY_IN_USE (or replay it if it already ended)
    const made = attempts.filter((a) => a.status === 201);
    expect(attempts.filter((a) => a.status !== 201).map((a) => [a.status, a.body.error?.code])).toEqual(Array(3 - made.length).fill([409, 'IDEMPOTENCY_KEY_IN_USE']));
    const retry = await refund(garage, invoice.id, paymentId, { amount: 2000 }, 'rf-1');
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(new Set([...made, retry].map((a) => a.body.data.id)).size).toBe(1);
    expect((await refund(garage, invoice.id, paymentId, { amount: 2500 }, 'rf-1')).body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await h.api(garage, 'GET', `/invoices/${invoice.id}`)).body.data.amountRefunded).toBe(2000);
  });

  it('when a refund is invalid or its payment unknown, then 400 / 404', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const paymentId = await pay(garage, invoice.id, 5000);
    expect((await refund(garage, invoice.id, paymentId, { amount: 0 })).status).toBe(400);
    expect((await refund(garage, invoice.id, paymentId, { amount: 10, method: 'barter' })).status).toBe(400);
    expect((await refund(garage, invoice.id, paymentId, { amount: 10, refundedAt: '2099-01-01T00:00:00Z' })).status).toBe(400);
    expect((await refund(garage, invoice.id, 'no-such-payment', { amount: 10 })).status).toBe(404);
    expect((await refund(garage, 'no-such-invoice', paymentId, { amount: 10 })).status).toBe(404);
    expect((await refund(garage, invoice.id, paymentId, { amount: 10 }, undefined)).status).toBe(201);
  });
});

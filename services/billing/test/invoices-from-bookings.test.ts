import { waitFor } from '@pitlane/testing';

import { bookingCompleted, BOOKING_TOTAL, newGarage } from './factories';
import { startHarness, type Harness } from './harness';

describe('invoices from completed bookings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it('when booking.completed arrives twice, then there is one invoice with the booking lines and one invoice.created', async () => {
    const garage = newGarage();
    const data = bookingCompleted();
    const consumedBefore = await h.consumed('booking.completed');
    await h.publish(garage, 'booking.completed', data);
    await h.publish(garage, 'booking.completed', data); // a redelivery with a new event id

    const created = await h.events.next<{ invoice: { bookingId: string } }>('invoice.created', (e) => e.data.invoice.bookingId === data.booking.bookingId);
    // both deliveries are done, and everything billing wrote for them is recorded: the counts below are final
    await waitFor(async () => (await h.consumed('booking.completed')) >= consumedBefore + 2, { message: 'the second delivery was not consumed' });
    await h.settle();

    const list = await h.api(garage, 'GET', '/invoices');
    expect(list.body.pagination?.total).toBe(1);
    const invoice = list.body.data[0];
    expect(invoice).toMatchObject({
      number: 'INV-2026-000001',
      status: 'issued',
      bookingId: data.booking.bookingId,
      customerId: data.customer.id,
      customer: { firstName: 'Ada', lastName: 'Lovelace' },
      vehicle: { make: 'Volkswagen', registration: 'B-PL 2026' },
      currency: 'EUR',
      issueDate: '2026-11-20',
      subtotal: 10997,
      discountTotal: 0,
      taxTotal: 1199 + 950, // 20 % of 59.97 → 11.99; 19 % of 50.00 = 9.50
      total: 5997 + 1199 + 5000 + 950,
      amountPaid: 0,
      balance: 5997 + 1199 + 5000 + 950,
    });
    expect(invoice.lines.map((l: { kind: string; description: string; total: number }) => [l.kind, l.description, l.total])).toEqual([
      ['service', 'Oil change', 7196],
      ['part', 'Oil filter', 5950],
    ]);
    expect(created.data).toEqual({
      invoice: {
        invoiceId: invoice.id,
        number: 'INV-2026-000001',
        bookingId: data.booking.bookingId,
        customerId: data.customer.id,
        status: 'issued',
        total: BOOKING_TOTAL,
        amountPaid: 0,
        currency: 'EUR',
        source: 'booking',
        amountRefunded: 0,
        creditedTotal: 0,
      },
    });
    expect(created).toMatchObject({ garageId: garage.garageId, organisationId: garage.organisationId, source: 'billing' });
    expect(h.events.ofType<{ invoice: { bookingId: string } }>('invoice.created').filter((e) => e.data.invoice.bookingId === data.booking.bookingId)).toHaveLength(1);

    const single = await h.api(garage, 'GET', `/invoices/${invoice.id}`);
    expect(single.status).toBe(200);
    expect(single.body.data).toEqual(invoice);
  });

  it('when bookings complete in different years and garages, then each garage numbers each year from 1', async () => {
    const garage = newGarage();
    const other = newGarage();
    const first = await h.completeBooking(garage, { completedAt: '2025-12-31T10:00:00.000Z' });
    const second = await h.completeBooking(garage, { completedAt: '2026-01-02T10:00:00.000Z' });
    const third = await h.completeBooking(garage, { completedAt: '2026-01-03T10:00:00.000Z' });
    const elsewhere = await h.completeBooking(other);
    expect([first.number, second.number, third.number]).toEqual(['INV-2025-000001', 'INV-2026-000001', 'INV-2026-000002']);
    expect(elsewhere.number).toBe('INV-2026-000001');
  });

  it("when a booking completes on New Year's Eve UTC but New Year's Day in the garage, then the invoice is dated and numbered in the garage's year", async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage, { completedAt: '2026-12-31T21:30:00.000Z', completedOn: '2027-01-01' });
    expect(invoice.number).toBe('INV-2027-000001');
    expect(invoice.issueDate).toBe('2027-01-01');
  });

  it('when invoices are listed with filters, sort and pages, then only the matching ones come back', async () => {
    const garage = newGarage();
    const a = await h.completeBooking(garage, { completedAt: '2026-03-01T10:00:00.000Z' });
    const b = await h.completeBooking(garage, { completedAt: '2026-03-05T10:00:00.000Z' });
    const c = await h.completeBooking(garage, { completedAt: '2026-03-09T10:00:00.000Z' });

    const range = await h.api(garage, 'GET', '/invoices?dateFrom=2026-03-02&dateTo=2026-03-09&sort=issueDate');
    expect(range.body.data.map((i: { id: string }) => i.id)).toEqual([b.id, c.id]);

    const byCustomer = await h.api(garage, 'GET', `/invoices?customerId=${a.customerId}`);
    expect(byCustomer.body.data.map((i: { id: string }) => i.id)).toEqual([a.id]);

    const page = await h.api(garage, 'GET', '/invoices?sort=-number&limit=2&page=2');
    expect(page.body.data.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect(page.body.pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2, hasMore: false });

    const issued = await h.api(garage, 'GET', '/invoices?status=paid,void');
    expect(issued.body.pagination?.total).toBe(0);
  });

  it('when the list query is invalid, then it is a 400 naming the fields', async () => {
    const garage = newGarage();
    const response = await h.api(garage, 'GET', '/invoices?status=unpaid&sort=secret&limit=500');
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('VALIDATION_FAILED');
    expect(response.body.error?.details?.map((d) => d.field)).toEqual(expect.arrayContaining(['limit']));
    const badStatus = await h.api(garage, 'GET', '/invoices?status=unpaid');
    expect(badStatus.body.error?.details?.[0]?.field).toBe('status.0');
    // a parameter no list knows is refused, not ignored (a sync would silently re-read everything)
    for (const path of ['/invoices?issuedFrom=2026-01-01', '/payments?invoice=inv_1', '/credit-notes?updatedAfter=2026-01-01', '/estimates?customer=cus_1']) {
      const unknown = await h.api(garage, 'GET', path);
      expect([path, unknown.status, unknown.body.error?.code, unknown.body.error?.details?.[0]?.field]).toEqual([path, 400, 'VALIDATION_FAILED', path.split('?')[1]?.split('=')[0]]);
    }
    // repeated statuses stay a list; the sync filters are accepted
    expect((await h.api(garage, 'GET', '/invoices?status=paid&status=void&updatedSince=2026-01-01T00:00:00Z&createdFrom=2026-01-01')).status).toBe(200);
  });

  it('when invoices are synced with updatedSince, then only invoices changed since come back', async () => {
    const garage = newGarage();
    const first = await h.completeBooking(garage);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = encodeURIComponent(new Date().toISOString());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await h.completeBooking(garage);
    const ids = async (query: string) => ((await h.api(garage, 'GET', `/invoices?sort=createdAt&${query}`)).body.data as { id: string }[]).map((i) => i.id);
    expect(await ids(`updatedSince=${since}`)).toEqual([second.id]);
    expect(await ids(`createdTo=${since}`)).toEqual([first.id]);
    expect(await ids(`createdFrom=${since}`)).toEqual([second.id]);
  });

  it("when another garage asks for an invoice, then it is a 404 and its lists are empty", async () => {
    const garage = newGarage();
    const intruder = newGarage();
    const invoice = await h.completeBooking(garage);
    expect((await h.api(intruder, 'GET', `/invoices/${invoice.id}`)).status).toBe(404);
    expect((await h.api(intruder, 'GET', `/invoices/${invoice.id}/pdf`)).status).toBe(404);
    expect((await h.api(intruder, 'POST', `/invoices/${invoice.id}/payments`, { amount: 100, method: 'cash' })).status).toBe(404);
    expect((await h.api(intruder, 'POST', `/invoices/${invoice.id}/void`, {})).status).toBe(404);
    expect((await h.api(intruder, 'GET', `/invoices?bookingId=${invoice.bookingId}`)).body.pagination?.total).toBe(0);
    const unknown = await h.api(garage, 'GET', '/invoices/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('when booking.completed has a zero total, then the invoice is created already paid', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage, { services: [], parts: [] });
    expect(invoice).toMatchObject({ status: 'paid', total: 0, balance: 0 });
    await h.events.next<{ invoice: { invoiceId: string } }>('invoice.paid', (e) => e.data.invoice.invoiceId === invoice.id);
  });

  it('when booking.completed names a customer billing never saw, then that customer and vehicle can get estimates afterwards', async () => {
    const garage = newGarage();
    const invoice = await h.completeBooking(garage);
    const estimate = await waitFor(async () => {
      const response = await h.api(garage, 'POST', '/estimates', {
        customerId: invoice.customerId,
        vehicleId: invoice.vehicleId,
        lines: [{ kind: 'fee', description: 'Storage', quantity: 1, unitPrice: 500 }],
      });
      return response.status === 201 && response.body.data;
    });
    expect(estimate).toMatchObject({ customerId: invoice.customerId, vehicleId: invoice.vehicleId, total: 500 });
  });
});

import { createPitlane, type Pitlane } from '@pitlane/sdk';
import { deleteAmqpNames, infraUrls, serviceEnv, testNames, waitFor } from '@pitlane/testing';

import { readConfig as billingConfig } from '../services/billing/src/config';
import { startBilling } from '../services/billing/src/service';
import { readConfig as bookingsConfig } from '../services/bookings/src/config';
import { startBookings } from '../services/bookings/src/service';
import { readConfig as gatewayConfig } from '../services/gateway/src/config';
import { startGateway } from '../services/gateway/src/service';
import { readConfig as inventoryConfig } from '../services/inventory/src/config';
import { startInventory } from '../services/inventory/src/service';

import { checkedFetch, checkedResponses } from './contract';

/** Issue 12: a part takes its tax rate from the inventory item, else from the garage's default parts
 * rate, and the invoice billing makes from booking.completed charges exactly that — pinned here to the
 * minor unit across inventory → bookings → billing, as a partner sees it through the gateway. */
const names = testNames(__filename);
const serviceNames = ['bookings', 'inventory', 'billing'];

async function startPlatform() {
  const queue = (service: string) => ({ queue: `${names.queuePrefix}${service}`, relayPollIntervalMs: 50, retryDelaysMs: [100, 500] });
  const bookings = await startBookings(bookingsConfig(serviceEnv(names, 'bookings')), queue('bookings'));
  const inventory = await startInventory(inventoryConfig(serviceEnv(names, 'inventory')), queue('inventory'));
  const billing = await startBilling(billingConfig(serviceEnv(names, 'billing')), queue('billing'));
  const gateway = await startGateway(
    gatewayConfig(serviceEnv(names, 'gateway', { BOOKINGS_URL: bookings.url, INVENTORY_URL: inventory.url, BILLING_URL: billing.url })),
  );
  const services = [bookings, inventory, billing];
  return {
    gateway,
    close: async () => {
      await gateway.connection.dropDatabase();
      await gateway.close();
      for (const service of services) {
        await service.connection.dropDatabase();
        await service.close();
      }
      await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, serviceNames.map((s) => `${names.queuePrefix}${s}`));
    },
  };
}

describe('an invoice with taxed parts, inventory → bookings → billing', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let pitlane: Pitlane;
  const garageId = 'gar_tax';
  const path = { garageId };

  beforeAll(async () => {
    platform = await startPlatform();
    const provisioning = platform.gateway.context.provisioning;
    await provisioning.upsertOrganisation({ _id: 'org_tax', name: 'Tax Motors', tier: 'enterprise', apiAccessEnabled: true });
    await provisioning.upsertGarage({ _id: garageId, organisationId: 'org_tax', name: 'Tax Motors Leeds', timezone: 'Europe/London', currency: 'GBP' });
    const key = (await provisioning.createKey({ organisationId: 'org_tax', name: 'tax', permission: 'read_write' })).rawKey;
    pitlane = createPitlane({ apiKey: key, baseUrl: platform.gateway.url, retry: false, fetch: checkedFetch() });
  }, 60_000);

  afterAll(async () => {
    await platform.close();
  });

  /** The body of a success, or the test fails with the status and the error envelope. */
  function ok<T>(result: { data?: { data: T }; error?: unknown; response: Response }, status = 200): T {
    expect([result.response.status, result.error]).toEqual([status, undefined]);
    return (result.data as { data: T }).data;
  }

  function nextWeekday(): string {
    const date = new Date(Date.now() + 14 * 86_400_000);
    while ([0, 6].includes(date.getUTCDay())) date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  }

  it('when a booking with an item-rated part and a default-rated part completes, then the invoice charges each rate to the minor unit', async () => {
    const open = { open: '08:00', close: '17:00' };
    ok(
      await pitlane.PUT('/api/v1/garages/{garageId}/schedule', {
        params: { path },
        body: {
          openingHours: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: null, sun: null },
          closedDates: [],
          dailyCapacity: 10,
          slotMinutes: 60,
          slotCapacity: 2,
          timeslotRequired: false,
        },
      }),
    );
    // 5 % for parts whose item has no rate of its own; set before the parts are added (the rate is fixed then)
    expect(ok(await pitlane.PUT('/api/v1/garages/{garageId}/settings', { params: { path }, body: { defaultPartsTaxRate: 500 } }))).toEqual({
      defaultPartsTaxRate: 500,
    });
    const pads = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/inventory', {
        params: { path },
        body: { sku: 'PAD-FR', name: 'Brake pads, front', unitPrice: 4599, quantityOnHand: 10, taxRate: 2000 },
      }),
      201,
    );
    const bulbs = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/inventory', {
        params: { path },
        body: { sku: 'BULB-H7', name: 'H7 bulb', unitPrice: 505, quantityOnHand: 10 },
      }),
      201,
    );
    // (the item's OpenAPI response schema does not list taxRate yet, hence toMatchObject rather than a typed read)
    expect(pads).toMatchObject({ taxRate: 2000 });
    expect(bulbs).toMatchObject({ taxRate: null });
    const service = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/services', {
        params: { path },
        body: { name: 'Brake service', durationMinutes: 60, prices: [{ vehicleType: 'car', price: 6000 }], taxRate: 2000 },
      }),
      201,
    );
    const customer = ok(await pitlane.POST('/api/v1/garages/{garageId}/customers', { params: { path }, body: { firstName: 'Ada', lastName: 'Lovelace' } }), 201);
    const vehicle = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/vehicles', {
        params: { path },
        body: { customerId: customer.id, make: 'Ford', model: 'Focus', vehicleType: 'car', year: 2015 },
      }),
      201,
    );
    const booking = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/bookings', {
        params: { path },
        body: { customerId: customer.id, vehicleId: vehicle.id, date: nextWeekday(), serviceIds: [service.id] },
      }),
      201,
    );
    const bookingPath = { garageId, bookingId: booking.id };

    // bookings learns the items from inventory's events; until then a part is a 404
    async function addPart(itemId: string, quantity: number) {
      return waitFor(
        async () => {
          const added = await pitlane.POST('/api/v1/garages/{garageId}/bookings/{bookingId}/inventory', { params: { path: bookingPath }, body: { itemId, quantity } });
          return added.response.status === 201 ? added.data?.data : undefined;
        },
        { message: `bookings never learned about item ${itemId}` },
      );
    }
    expect(await addPart(pads.id, 3)).toMatchObject({ sku: 'PAD-FR', unitPrice: 4599, taxRate: 2000 });
    expect(await addPart(bulbs.id, 2)).toMatchObject({ sku: 'BULB-H7', unitPrice: 505, taxRate: 500 });
    await waitFor(
      async () => {
        const parts = (await pitlane.GET('/api/v1/garages/{garageId}/bookings/{bookingId}/parts', { params: { path: bookingPath } })).data?.data ?? [];
        return parts.length === 2 && parts.every((p) => p.status === 'reserved');
      },
      { message: 'the parts were never reserved' },
    );

    for (const status of ['confirmed', 'checked_in', 'in_progress', 'completed'] as const) {
      ok(await pitlane.POST('/api/v1/garages/{garageId}/bookings/{bookingId}/status', { params: { path: bookingPath }, body: { status } }));
    }
    const listed = await waitFor(
      async () => (await pitlane.GET('/api/v1/garages/{garageId}/invoices', { params: { path, query: { bookingId: booking.id } } })).data?.data[0],
      { message: 'no invoice for the completed booking' },
    );
    const invoice = ok(await pitlane.GET('/api/v1/garages/{garageId}/invoices/{invoiceId}', { params: { path: { garageId, invoiceId: listed.id } } }));

    // Per line, tax = net × taxRate / 10 000 rounded half away from zero (billing's money rule):
    //   service  1 × 6000 = 6000  at 20 % (service's rate)        → tax 1200       total  7200
    //   pads     3 × 4599 = 13797 at 20 % (item's rate)           → tax 2759.4 → 2759, total 16556
    //   bulbs    2 × 505  = 1010  at  5 % (garage default parts)  → tax 50.5 → 51 (not 50: half away from zero), total 1061
    //   subtotal 6000 + 13797 + 1010 = 20807; taxTotal 1200 + 2759 + 51 = 4010; total 20807 + 4010 = 24817
    const lines = invoice.lines.map(({ kind, code, quantity, unitPrice, taxRate, net, tax, total }) => ({ kind, code, quantity, unitPrice, taxRate, net, tax, total }));
    expect(lines).toEqual([
      { kind: 'service', code: null, quantity: 1, unitPrice: 6000, taxRate: 2000, net: 6000, tax: 1200, total: 7200 },
      { kind: 'part', code: 'PAD-FR', quantity: 3, unitPrice: 4599, taxRate: 2000, net: 13797, tax: 2759, total: 16556 },
      { kind: 'part', code: 'BULB-H7', quantity: 2, unitPrice: 505, taxRate: 500, net: 1010, tax: 51, total: 1061 },
    ]);
    expect(invoice).toMatchObject({ currency: 'GBP', status: 'issued', subtotal: 20807, discountTotal: 0, taxTotal: 4010, total: 24817, balance: 24817 });
  }, 60_000);

  it('when the journey is over, then every answer the SDK got was checked against the OpenAPI document', () => {
    expect(checkedResponses()).toBeGreaterThanOrEqual(13);
  });
});

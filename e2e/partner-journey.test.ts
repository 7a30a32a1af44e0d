import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createPitlane, verifyWebhook, type Pitlane } from '@pitlane/sdk';
import { deleteAmqpNames, infraUrls, serviceEnv, testNames, waitFor } from '@pitlane/testing';

import { readConfig as billingConfig } from '../services/billing/src/config';
import { startBilling } from '../services/billing/src/service';
import { readConfig as bookingsConfig } from '../services/bookings/src/config';
import { startBookings } from '../services/bookings/src/service';
import { readConfig as gatewayConfig } from '../services/gateway/src/config';
import { startGateway, type GatewayService } from '../services/gateway/src/service';
import { readConfig as inventoryConfig } from '../services/inventory/src/config';
import { startInventory } from '../services/inventory/src/service';
import { readConfig as webhooksConfig } from '../services/webhooks/src/config';
import { startWebhooks } from '../services/webhooks/src/service';

import { checkedFetch, checkedResponses } from './contract';

const names = testNames(__filename);

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** A partner's webhook endpoint on this machine. */
function startReceiver(): Promise<{ url: string; deliveries: Delivery[]; server: Server }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      deliveries.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, deliveries, server })),
  );
}

/** Every service in-process on this file's own databases and exchange, the gateway in front. */
async function startPlatform() {
  const queue = (service: string) => ({ queue: `${names.queuePrefix}${service}`, relayPollIntervalMs: 50, retryDelaysMs: [100, 500] });
  const bookings = await startBookings(bookingsConfig(serviceEnv(names, 'bookings')), queue('bookings'));
  const inventory = await startInventory(inventoryConfig(serviceEnv(names, 'inventory')), queue('inventory'));
  const billing = await startBilling(billingConfig(serviceEnv(names, 'billing')), queue('billing'));
  const webhooks = await startWebhooks(
    webhooksConfig(serviceEnv(names, 'webhooks', { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_INTERVAL_MS: '50', WEBHOOK_SECRETS_KEYS: `e2e1:${Buffer.alloc(32, 7).toString('base64')}` })),
    queue('webhooks'),
  );
  const gateway = await startGateway(
    gatewayConfig(
      serviceEnv(names, 'gateway', {
        BOOKINGS_URL: bookings.url,
        INVENTORY_URL: inventory.url,
        BILLING_URL: billing.url,
        WEBHOOKS_URL: webhooks.url,
      }),
    ),
  );
  const services = [bookings, inventory, billing, webhooks];
  return {
    gateway,
    close: async () => {
      await gateway.connection.dropDatabase();
      await gateway.close();
      for (const service of services) {
        await service.connection.dropDatabase();
        await service.close();
      }
      await deleteAmqpNames(
        infraUrls().amqpUrl,
        names.exchange,
        ['bookings', 'inventory', 'billing', 'webhooks'].map((s) => `${names.queuePrefix}${s}`),
      );
    },
  };
}

describe('a partner integration, end to end through the gateway', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let gateway: GatewayService;
  let pitlane: Pitlane;
  const garageId = 'gar_e2e';

  beforeAll(async () => {
    receiver = await startReceiver();
    platform = await startPlatform();
    gateway = platform.gateway;
    const provisioning = gateway.context.provisioning;
    await provisioning.upsertOrganisation({ _id: 'org_e2e', name: 'E2E Motors', tier: 'enterprise', apiAccessEnabled: true });
    await provisioning.upsertGarage({ _id: garageId, organisationId: 'org_e2e', name: 'E2E Motors Leeds', timezone: 'Europe/London', currency: 'GBP' });
    const key = (await provisioning.createKey({ organisationId: 'org_e2e', name: 'e2e', permission: 'read_write' })).rawKey;
    // the partner's side of the journey goes through the SDK, as a partner's code would
    pitlane = createPitlane({ apiKey: key, baseUrl: gateway.url, retry: false, fetch: checkedFetch() });
  }, 60_000);

  afterAll(async () => {
    await platform.close();
    receiver.server.close();
  });

  const path = { garageId };
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

  it('when a booking is served with a part and completed, then stock, invoice, payment, customer stats and webhooks all follow', async () => {
    const hook = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/webhooks', {
        params: { path },
        body: { url: receiver.url, events: ['booking.completed', 'invoice.paid'], description: 'e2e' },
      }),
      201,
    );
    const secret = hook.secret;

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
    const item = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/inventory', {
        params: { path },
        body: { sku: 'OIL-5W30', name: 'Engine oil 5W-30', unitPrice: 1250, quantityOnHand: 5, reorderLevel: 1, unitCost: 800 },
      }),
      201,
    );
    const service = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/services', {
        params: { path },
        body: { name: 'Oil change', durationMinutes: 60, prices: [{ vehicleType: 'car', price: 5000 }] },
      }),
      201,
    );
    const customer = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/customers', { params: { path }, body: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' } }),
      201,
    );
    const vehicle = ok(
      await pitlane.POST('/api/v1/garages/{garageId}/vehicles', {
        params: { path },
        body: { customerId: customer.id, make: 'Honda', model: 'Accord', vehicleType: 'car', year: 2003 },
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

    // bookings learns the item from inventory's events, then inventory reserves it from bookings' event
    const part = await waitFor(async () => {
      const added = await pitlane.POST('/api/v1/garages/{garageId}/bookings/{bookingId}/inventory', {
        params: { path: bookingPath },
        body: { itemId: item.id, quantity: 2 },
      });
      return added.response.status === 201 ? added.data?.data : undefined;
    }, { message: 'bookings never learned about the inventory item' });
    expect(part).toMatchObject({ status: 'pending' });
    await waitFor(async () => {
      const parts = await pitlane.GET('/api/v1/garages/{garageId}/bookings/{bookingId}/parts', { params: { path: bookingPath } });
      return parts.data?.data[0]?.status === 'reserved';
    }, { message: 'the part was never reserved' });
    const itemPath = { garageId, iid: item.id };
    expect(ok(await pitlane.GET('/api/v1/garages/{garageId}/inventory/{iid}', { params: { path: itemPath } }))).toMatchObject({
      quantityOnHand: 5,
      quantityReserved: 2,
      quantityAvailable: 3,
    });

    for (const status of ['confirmed', 'checked_in', 'in_progress', 'completed'] as const) {
      const changed = ok(await pitlane.POST('/api/v1/garages/{garageId}/bookings/{bookingId}/status', { params: { path: bookingPath }, body: { status } }));
      expect(changed.status).toBe(status);
    }

    // billing invoices from booking.completed alone; inventory consumes the reserved parts
    const invoice = await waitFor(
      async () => (await pitlane.GET('/api/v1/garages/{garageId}/invoices', { params: { path, query: { bookingId: booking.id } } })).data?.data[0],
      { message: 'no invoice for the completed booking' },
    );
    expect(invoice).toMatchObject({ customerId: customer.id, currency: 'GBP', status: 'issued', total: 5000 + 2 * 1250 });
    expect(invoice.number).toMatch(/^INV-\d{4}-000001$/);
    await waitFor(async () => (await pitlane.GET('/api/v1/garages/{garageId}/inventory/{iid}', { params: { path: itemPath } })).data?.data.quantityOnHand === 3, {
      message: 'the reserved parts were not consumed',
    });

    const invoicePath = { garageId, invoiceId: invoice.id };
    ok(
      await pitlane.POST('/api/v1/garages/{garageId}/invoices/{invoiceId}/payments', {
        params: { path: invoicePath },
        body: { amount: invoice.total, method: 'card', reference: 'e2e' },
      }),
      201,
    );
    expect(ok(await pitlane.GET('/api/v1/garages/{garageId}/invoices/{invoiceId}', { params: { path: invoicePath } })).status).toBe('paid');
    await waitFor(
      async () =>
        (await pitlane.GET('/api/v1/garages/{garageId}/customers/{customerId}', { params: { path: { garageId, customerId: customer.id } } })).data?.data.stats
          .lifetimeSpend === 7500,
      { message: 'the customer lifetime spend did not follow invoice.paid' },
    );

    // the partner's endpoint got both events, signed per Standard Webhooks
    const deliveries = await waitFor(() => (receiver.deliveries.length >= 2 ? receiver.deliveries : undefined), {
      timeoutMs: 15_000,
      message: 'webhooks not delivered',
    });
    const events = deliveries.map((d) => verifyWebhook(secret, d.headers, d.body));
    expect(events.map((e) => e.type).sort()).toEqual(['booking.completed', 'invoice.paid']);
    expect(events.every((e) => e.garageId === garageId)).toBe(true);
  }, 60_000);

  it('when the journey is over, then every answer the SDK got was checked against the OpenAPI document', () => {
    expect(checkedResponses()).toBeGreaterThanOrEqual(16);
  });
});

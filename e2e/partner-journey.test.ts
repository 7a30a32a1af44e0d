import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { deleteAmqpNames, infraUrls, json, serviceEnv, testNames, waitFor, type ApiBody } from '@pitlane/testing';
import { Webhook } from 'standardwebhooks';

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
  let key: string;
  const garageId = 'gar_e2e';

  beforeAll(async () => {
    receiver = await startReceiver();
    platform = await startPlatform();
    gateway = platform.gateway;
    const provisioning = gateway.context.provisioning;
    await provisioning.upsertOrganisation({ _id: 'org_e2e', name: 'E2E Motors', tier: 'enterprise', apiAccessEnabled: true });
    await provisioning.upsertGarage({ _id: garageId, organisationId: 'org_e2e', name: 'E2E Motors Leeds', timezone: 'Europe/London', currency: 'GBP' });
    key = (await provisioning.createKey({ organisationId: 'org_e2e', name: 'e2e', permission: 'read_write' })).rawKey;
  }, 60_000);

  afterAll(async () => {
    await platform.close();
    receiver.server.close();
  });

  async function call(method: string, path: string, body?: unknown): Promise<ApiBody & { status: number }> {
    const response = await fetch(`${gateway.url}/api/v1/garages/${garageId}${path}`, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, ...(await json(response)) };
  }

  function nextWeekday(): string {
    const date = new Date(Date.now() + 14 * 86_400_000);
    while ([0, 6].includes(date.getUTCDay())) date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  }

  it('when a booking is served with a part and completed, then stock, invoice, payment, customer stats and webhooks all follow', async () => {
    const hook = await call('POST', '/webhooks', { url: receiver.url, events: ['booking.completed', 'invoice.paid'], description: 'e2e' });
    expect(hook.status).toBe(201);
    const secret = hook.data.secret as string;

    const open = { open: '08:00', close: '17:00' };
    expect(
      (await call('PUT', '/schedule', {
        openingHours: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: null, sun: null },
        closedDates: [],
        dailyCapacity: 10,
        slotMinutes: 60,
        slotCapacity: 2,
        timeslotRequired: false,
      })).status,
    ).toBe(200);
    const item = await call('POST', '/inventory', { sku: 'OIL-5W30', name: 'Engine oil 5W-30', unitPrice: 1250, quantityOnHand: 5, reorderLevel: 1, unitCost: 800 });
    expect(item.status).toBe(201);
    const service = await call('POST', '/services', { name: 'Oil change', durationMinutes: 60, prices: [{ vehicleType: 'car', price: 5000 }] });
    expect(service.status).toBe(201);
    const customer = await call('POST', '/customers', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' });
    const vehicle = await call('POST', '/vehicles', { customerId: customer.data.id, make: 'Honda', model: 'Accord', vehicleType: 'car', year: 2003 });
    expect(vehicle.status).toBe(201);

    const booking = await call('POST', '/bookings', {
      customerId: customer.data.id,
      vehicleId: vehicle.data.id,
      date: nextWeekday(),
      serviceIds: [service.data.id],
    });
    expect(booking.status).toBe(201);
    const bookingId = booking.data.id as string;

    // bookings learns the item from inventory's events, then inventory reserves it from bookings' event
    const part = await waitFor(async () => {
      const added = await call('POST', `/bookings/${bookingId}/inventory`, { itemId: item.data.id, quantity: 2 });
      return added.status === 201 ? added : undefined;
    }, { message: 'bookings never learned about the inventory item' });
    expect(part.data).toMatchObject({ status: 'pending' });
    await waitFor(async () => {
      const parts = await call('GET', `/bookings/${bookingId}/parts`);
      return parts.data?.[0]?.status === 'reserved';
    }, { message: 'the part was never reserved' });
    expect((await call('GET', `/inventory/${item.data.id}`)).data).toMatchObject({ quantityOnHand: 5, quantityReserved: 2, quantityAvailable: 3 });

    for (const status of ['confirmed', 'checked_in', 'in_progress', 'completed']) {
      const changed = await call('POST', `/bookings/${bookingId}/status`, { status });
      expect([changed.status, changed.data?.status]).toEqual([200, status]);
    }

    // billing invoices from booking.completed alone; inventory consumes the reserved parts
    const invoice = await waitFor(async () => (await call('GET', `/invoices?bookingId=${bookingId}`)).data?.[0], {
      message: 'no invoice for the completed booking',
    });
    expect(invoice).toMatchObject({ customerId: customer.data.id, currency: 'GBP', status: 'issued', total: 5000 + 2 * 1250 });
    expect(invoice.number).toMatch(/^INV-\d{4}-000001$/);
    await waitFor(async () => (await call('GET', `/inventory/${item.data.id}`)).data?.quantityOnHand === 3, {
      message: 'the reserved parts were not consumed',
    });

    const payment = await call('POST', `/invoices/${invoice.id}/payments`, { amount: invoice.total, method: 'card', reference: 'e2e' });
    expect(payment.status).toBe(201);
    expect((await call('GET', `/invoices/${invoice.id}`)).data.status).toBe('paid');
    await waitFor(async () => (await call('GET', `/customers/${customer.data.id}`)).data?.stats?.lifetimeSpend === 7500, {
      message: 'the customer lifetime spend did not follow invoice.paid',
    });

    // the partner's endpoint got both events, signed per Standard Webhooks
    const deliveries = await waitFor(() => (receiver.deliveries.length >= 2 ? receiver.deliveries : undefined), {
      timeoutMs: 15_000,
      message: 'webhooks not delivered',
    });
    const verifier = new Webhook(secret);
    const types = deliveries.map((d) => (verifier.verify(d.body, d.headers) as { type: string; garageId: string }));
    expect(types.map((t) => t.type).sort()).toEqual(['booking.completed', 'invoice.paid']);
    expect(types.every((t) => t.garageId === garageId)).toBe(true);
  }, 60_000);
});

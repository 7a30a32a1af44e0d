import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { signInternalToken } from '@pitlane/core';
import { deleteAmqpNames, infraUrls, randomId, serviceEnv, startEventRecorder, testNames, waitFor, TEST_INTERNAL_SECRET, type EventRecorder } from '@pitlane/testing';

import { freePort, startLauncher, tempDir, type LauncherOptions, type LauncherProcess } from '../libs/mongo/test/launcher-process';
import { readConfig as billingConfig } from '../services/billing/src/config';
import { startBilling } from '../services/billing/src/service';
import { readConfig as bookingsConfig } from '../services/bookings/src/config';
import { startBookings } from '../services/bookings/src/service';
import { readConfig as inventoryConfig } from '../services/inventory/src/config';
import { startInventory } from '../services/inventory/src/service';

/**
 * The same promise as libs/mongo/test/durability.test.ts, seen by a partner: bookings, inventory and
 * billing run on the H2-backed launcher (npm run stack's backend) while partners create customers and
 * stock items; the database is killed with kill -9 and restarted on the same file and port. Every
 * write a service acknowledged (201) must still be readable, and its event must still be published by
 * the outbox relay once the database is back (duplicates are allowed: consumers dedupe).
 */

const names = testNames(__filename);
const dir = tempDir('pitlane-store-durability-');
const garage = { garageId: `gar_${randomId()}`, organisationId: 'org_durability', timezone: 'Europe/London', currency: 'GBP' };
const WRITERS = 3;

function headers(): Record<string, string> {
  const token = signInternalToken(
    { organisationId: garage.organisationId, keyId: 'key_test', permission: 'read_write', garageId: garage.garageId, garage: { name: 'Durability', timezone: garage.timezone, currency: garage.currency }, requestId: `req_${randomId()}` },
    TEST_INTERNAL_SECRET,
  );
  return { 'x-pitlane-internal-token': token, 'content-type': 'application/json' };
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; id?: string }> {
  const response = await fetch(`${base}/api/v1/garages/${garage.garageId}${path}`, { method, headers: headers(), ...(body ? { body: JSON.stringify(body) } : {}) });
  const parsed = (await response.json().catch(() => ({}))) as { data?: { id?: string } };
  return { status: response.status, id: parsed.data?.id };
}

describe('outbox events survive kill -9 of the H2-backed database', () => {
  jest.setTimeout(90_000);
  let options: LauncherOptions;
  let launcher: LauncherProcess;
  let events: EventRecorder;
  let services: Array<{ url: string; close(): Promise<void> }> = [];

  beforeAll(async () => {
    options = { file: join(dir.path, 'stack.mv.db'), port: await freePort() };
    launcher = await startLauncher(options);
    const env = (service: string) => serviceEnv(names, service, { MONGO_URL: launcher.url });
    const queue = (service: string) => ({ queue: `${names.queuePrefix}${service}`, relayPollIntervalMs: 50, retryDelaysMs: [100, 500] });
    services = [
      await startBookings(bookingsConfig(env('bookings')), queue('bookings')),
      await startInventory(inventoryConfig(env('inventory')), queue('inventory')),
      await startBilling(billingConfig(env('billing')), queue('billing')),
    ];
    events = await startEventRecorder(names);
  });

  afterAll(async () => {
    await events?.stop();
    for (const service of services) await service.close();
    await launcher?.kill('SIGTERM');
    await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, ['bookings', 'inventory', 'billing'].map((s) => `${names.queuePrefix}${s}`));
    dir.remove();
  });

  it('when the database dies mid-run and comes back, then every acknowledged create is readable and its event is published', async () => {
    const [bookings, inventory] = services;
    if (!bookings || !inventory) throw new Error('services did not start');
    const customers = new Map<string, number>(); // id -> acknowledged at
    const items = new Map<string, number>();
    let running = true;
    let inFlight = 0;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; running; i++) {
        inFlight++;
        const reply = i % 2 === 0
          ? await call(bookings.url, 'POST', '/customers', { firstName: 'Dura', lastName: `Writer ${w}-${i}` }).catch(() => ({ status: 0, id: undefined }))
          : await call(inventory.url, 'POST', '/inventory', { sku: `DUR-${w}-${i}-${randomId(4)}`.toUpperCase(), name: `Filter ${w}-${i}`, unitPrice: 1250, unit: 'each', quantityOnHand: 5, reorderLevel: 1, unitCost: 700 }).catch(() => ({ status: 0, id: undefined }));
        inFlight--;
        // anything else (the database is down too long): not acknowledged, nothing promised
        if (reply.status === 201 && reply.id) (i % 2 === 0 ? customers : items).set(reply.id, performance.now());
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));

    await waitFor(() => customers.size >= 5 && items.size >= 5, { timeoutMs: 30_000, message: 'no writes acknowledged before the kill' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killedAt = performance.now();
    const inFlightAtKill = inFlight;
    await launcher.kill('SIGKILL');
    const acknowledgedBeforeKill = { customers: [...customers].filter(([, at]) => at < killedAt).length, items: [...items].filter(([, at]) => at < killedAt).length };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    launcher = await startLauncher(options);
    // the services reconnect by themselves; writing resumes
    const before = customers.size;
    await waitFor(() => customers.size > before, { timeoutMs: 30_000, message: 'bookings did not accept writes after the database came back' });
    running = false;
    await Promise.all(writers);
    expect(inFlightAtKill).toBeGreaterThan(0); // the kill hit requests in flight
    expect(acknowledgedBeforeKill.customers + acknowledgedBeforeKill.items).toBeGreaterThanOrEqual(10);

    for (const id of customers.keys()) expect({ id, status: (await call(bookings.url, 'GET', `/customers/${id}`)).status }).toEqual({ id, status: 200 });
    for (const id of items.keys()) expect({ id, status: (await call(inventory.url, 'GET', `/inventory/${id}`)).status }).toEqual({ id, status: 200 });

    const published = (type: string, key: 'customer' | 'item') =>
      new Set(events.ofType<Record<string, { id: string }>>(type).map((e) => e.data[key]?.id));
    await waitFor(
      () => [...customers.keys()].every((id) => published('customer.created', 'customer').has(id)) && [...items.keys()].every((id) => published('inventory.item_created', 'item').has(id)),
      { timeoutMs: 30_000, message: 'some acknowledged creates never had their event published' },
    );
  });
});

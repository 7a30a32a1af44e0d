import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { deleteAmqpNames, infraUrls, randomId, serviceEnv, startEventRecorder, testNames, waitFor, type EventRecorder } from '@pitlane/testing';

import { freePort, startLauncher, tempDir, type LauncherOptions, type LauncherProcess } from '../libs/mongo/test/launcher-process';
import { readConfig as billingConfig } from '../services/billing/src/config';
import { startBilling } from '../services/billing/src/service';
import { readConfig as bookingsConfig } from '../services/bookings/src/config';
import { startBookings } from '../services/bookings/src/service';
import { readConfig as inventoryConfig } from '../services/inventory/src/config';
import { startInventory } from '../services/inventory/src/service';
import { garageCaller, newJourneyLog, runJourney, type JourneySetup } from './stack-harness';

/**
 * The same promise as libs/mongo/test/durability.test.ts, seen by a partner: bookings, inventory and
 * billing run on the H2-backed launcher (npm run stack's backend) while partners create customers and
 * stock items, and garages run bookings with a part through to a paid invoice; the database is killed
 * with kill -9 and restarted on the same file and port. Every write a service acknowledged must still be
 * readable, every event of those writes must still be published by the outbox relays once the database
 * is back (duplicates are allowed: consumers dedupe), stock on hand must equal its ledger, and each
 * completed booking must have exactly one invoice.
 */

const names = testNames(__filename);
const dir = tempDir('pitlane-store-durability-');
const garage = { garageId: `gar_${randomId()}`, organisationId: 'org_durability', timezone: 'Europe/London', currency: 'GBP' };
const caller = garageCaller(garage);
const WRITERS = 2;
const JOURNEYS = 2;
const STOCK = 1_000;

interface Movement { id: string; reason: string; quantity: number; reservedQuantity: number; reference: { bookingId?: string } | null }

function nextWeekday(): string {
  const date = new Date(Date.now() + 14 * 86_400_000);
  while ([0, 6].includes(date.getUTCDay())) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

describe('outbox events survive kill -9 of the H2-backed database', () => {
  jest.setTimeout(90_000);
  let options: LauncherOptions;
  let launcher: LauncherProcess;
  let events: EventRecorder;
  let services: Array<{ url: string; close(): Promise<void> }> = [];
  let running = false;

  beforeAll(async () => {
    options = { file: join(dir.path, 'stack.mv.db'), port: await freePort() };
    launcher = await startLauncher(options);
    const env = (service: string) => serviceEnv(names, service, { MONGO_URL: launcher.url });
    // retries outlast the outage, as production's [1 s, 10 s, 60 s] do: a handler that meets the dead database is not dead-lettered
    const queue = (service: string) => ({ queue: `${names.queuePrefix}${service}`, relayPollIntervalMs: 50, retryDelaysMs: [500, 3_000, 10_000] });
    services = [
      await startBookings(bookingsConfig(env('bookings')), queue('bookings')),
      await startInventory(inventoryConfig(env('inventory')), queue('inventory')),
      await startBilling(billingConfig(env('billing')), queue('billing')),
    ];
    events = await startEventRecorder(names);
  });

  afterAll(async () => {
    running = false; // a failed test leaves its writers running
    await events?.stop();
    for (const service of services) await service.close();
    await launcher?.kill('SIGTERM');
    await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, ['bookings', 'inventory', 'billing'].map((s) => `${names.queuePrefix}${s}`));
    dir.remove();
  });

  /** a schedule, a service, a customer with a car and a stocked part that bookings has learned about */
  async function garageSetup(): Promise<JourneySetup> {
    const [bookings, inventory, billing] = services.map((s) => s.url);
    if (!bookings || !inventory || !billing) throw new Error('services did not start');
    const open = { open: '08:00', close: '17:00' };
    const created = async (base: string, path: string, body: unknown, status = 201) => {
      const reply = await caller.call<{ id: string }>(base, path === '/schedule' ? 'PUT' : 'POST', path, body);
      expect({ path, status: reply.status }).toEqual({ path, status });
      return reply.data?.id ?? '';
    };
    await created(bookings, '/schedule', { openingHours: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: null, sun: null }, closedDates: [], dailyCapacity: 10_000, slotMinutes: 60, slotCapacity: 10_000, timeslotRequired: false }, 200);
    const serviceId = await created(bookings, '/services', { name: 'Oil change', durationMinutes: 60, prices: [{ vehicleType: 'car', price: 5000 }] });
    const customerId = await created(bookings, '/customers', { firstName: 'Journey', lastName: 'Owner' });
    const vehicleId = await created(bookings, '/vehicles', { customerId, make: 'Honda', model: 'Accord', vehicleType: 'car', year: 2003 });
    const itemId = await created(inventory, '/inventory', { sku: `OIL-${randomId(4)}`.toUpperCase(), name: 'Engine oil', unitPrice: 1250, quantityOnHand: STOCK, reorderLevel: 1, unitCost: 800 });
    const setup = { urls: { bookings, billing }, customerId, serviceId, itemId, date: nextWeekday() };
    // bookings learns the item from inventory.item_created; a probe booking's part is accepted once it has
    const probe = await created(bookings, '/bookings', { customerId, vehicleId, date: setup.date, serviceIds: [serviceId] });
    await waitFor(async () => (await caller.call(bookings, 'POST', `/bookings/${probe}/parts`, { itemId, quantity: 1 })).status === 201, { timeoutMs: 15_000, message: 'bookings never learned about the item' });
    return setup;
  }

  it('when the database dies mid-run and comes back, then every acknowledged write is readable, its events are published, stock matches its ledger and each completed booking has one invoice', async () => {
    const [bookings, inventory, billing] = services.map((s) => s.url);
    if (!bookings || !inventory || !billing) throw new Error('services did not start');
    const setup = await garageSetup();
    const customers = new Map<string, number>(); // id -> acknowledged at
    const items = new Map<string, number>();
    const log = newJourneyLog();
    running = true;
    let inFlight = 0;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; running; i++) {
        inFlight++;
        const reply = i % 2 === 0
          ? await caller.call<{ id: string }>(bookings, 'POST', '/customers', { firstName: 'Dura', lastName: `Writer ${w}-${i}` })
          : await caller.call<{ id: string }>(inventory, 'POST', '/inventory', { sku: `DUR-${w}-${i}-${randomId(4)}`.toUpperCase(), name: `Filter ${w}-${i}`, unitPrice: 1250, unit: 'each', quantityOnHand: 5, reorderLevel: 1, unitCost: 700 });
        inFlight--;
        // anything else (the database is down too long): not acknowledged, nothing promised
        if (reply.status === 201 && reply.data) (i % 2 === 0 ? customers : items).set(reply.data.id, performance.now());
      }
    };
    const journeys = async (): Promise<void> => {
      while (running) await runJourney(caller, setup, log);
    };
    const workers = [...Array.from({ length: WRITERS }, (_, w) => writer(w)), ...Array.from({ length: JOURNEYS }, journeys)];

    await waitFor(() => customers.size >= 5 && items.size >= 5 && log.paid.size >= 2, { timeoutMs: 40_000 }).catch(() => {
      throw new Error(`not enough writes acknowledged before the kill: ${customers.size} customers, ${items.size} items, ${log.paid.size} invoices paid`);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killedAt = performance.now();
    const inFlightAtKill = inFlight;
    await launcher.kill('SIGKILL');
    const acknowledgedBeforeKill = [customers, items, log.completed, log.paid].map((acks) => [...acks.values()].filter((at) => at < killedAt).length);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    launcher = await startLauncher(options);
    // the services reconnect by themselves; writing and journeys resume
    const before = { customers: customers.size, paid: log.paid.size };
    await waitFor(() => customers.size > before.customers && log.paid.size > before.paid, { timeoutMs: 30_000, message: 'the services did not take writes after the database came back' });
    running = false;
    await Promise.all(workers);
    expect(inFlightAtKill).toBeGreaterThan(0); // the kill hit requests in flight
    expect(acknowledgedBeforeKill[0]! + acknowledgedBeforeKill[1]!).toBeGreaterThanOrEqual(10);
    expect(acknowledgedBeforeKill[3]).toBeGreaterThanOrEqual(2);

    // every acknowledged write is there
    for (const id of customers.keys()) expect({ id, status: (await caller.call(bookings, 'GET', `/customers/${id}`)).status }).toEqual({ id, status: 200 });
    for (const id of items.keys()) expect({ id, status: (await caller.call(inventory, 'GET', `/inventory/${id}`)).status }).toEqual({ id, status: 200 });
    for (const id of log.bookings.keys()) expect({ id, status: (await caller.call(bookings, 'GET', `/bookings/${id}`)).status }).toEqual({ id, status: 200 });
    for (const [line, id] of log.parts) expect((await caller.call<Array<{ id: string }>>(bookings, 'GET', `/bookings/${id}/parts`)).data?.map((p) => p.id)).toContain(line);
    const completed = new Set((await caller.listAll<{ id: string }>(bookings, '/bookings?status=completed')).map((b) => b.id));
    for (const id of log.completed.keys()) expect({ id, completed: completed.has(id) }).toEqual({ id, completed: true });
    const paid = new Set((await caller.listAll<{ id: string }>(billing, '/invoices?status=paid')).map((i) => i.id));
    for (const id of log.paid.keys()) expect({ id, paid: paid.has(id) }).toEqual({ id, paid: true });

    // each completed booking (acknowledged or not) is invoiced once and its part consumed once
    const invoicesOf = async (id: string) => caller.listAll<{ id: string }>(billing, `/invoices?bookingId=${id}`);
    await waitFor(async () => (await Promise.all([...completed].map(invoicesOf))).every((list) => list.length > 0), { timeoutMs: 20_000, message: 'a completed booking was never invoiced' });
    const invoices = new Map<string, string>(); // invoice -> booking
    for (const id of completed) {
      const list = await invoicesOf(id);
      expect({ id, invoices: list.length }).toEqual({ id, invoices: 1 });
      invoices.set(list[0]!.id, id);
    }
    const consumed = await waitFor(async () => {
      const ledger = await caller.listAll<Movement>(inventory, `/inventory/${setup.itemId}/movements?reason=consumed`);
      return ledger.length >= completed.size ? ledger : undefined;
    }, { timeoutMs: 20_000, message: 'the parts of some completed bookings were never consumed' });
    expect(consumed.map((m) => m.reference?.bookingId).sort()).toEqual([...completed].sort());

    // stock on hand is its ledger, and the ledger is the completed bookings
    const ledger = await caller.listAll<Movement>(inventory, `/inventory/${setup.itemId}/movements`);
    const item = (await caller.call<{ quantityOnHand: number; quantityReserved: number }>(inventory, 'GET', `/inventory/${setup.itemId}`)).data;
    expect(item).toMatchObject({
      quantityOnHand: ledger.reduce((sum, m) => sum + m.quantity, 0),
      quantityReserved: ledger.reduce((sum, m) => sum + m.reservedQuantity, 0),
    });
    expect(item?.quantityOnHand).toBe(STOCK - completed.size);

    // every event of those writes was published at least once
    type Data = Record<string, unknown>;
    const published = (type: string, path: string) =>
      new Set(events.ofType<Data>(type).map((e) => path.split('.').reduce<unknown>((value, key) => (value as Data | undefined)?.[key], e.data)));
    const unpublished = (ids: Iterable<string>, type: string, path: string) => {
      const seen = published(type, path);
      return [...ids].filter((id) => !seen.has(id));
    };
    const missing = () => ({
      'customer.created': unpublished(customers.keys(), 'customer.created', 'customer.id'),
      'inventory.item_created': unpublished(items.keys(), 'inventory.item_created', 'item.id'),
      'booking.parts_assigned': unpublished(log.parts.keys(), 'booking.parts_assigned', 'lineId'),
      'inventory.reserved': unpublished(log.parts.keys(), 'inventory.reserved', 'lineId'),
      'booking.completed': unpublished(completed, 'booking.completed', 'booking.bookingId'),
      'invoice.created': unpublished(invoices.keys(), 'invoice.created', 'invoice.invoiceId'),
      'invoice.paid': unpublished(paid, 'invoice.paid', 'invoice.invoiceId'),
      'inventory.adjusted (consumed)': unpublished(consumed.map((m) => m.id), 'inventory.adjusted', 'movement.id'),
    });
    const lost = await waitFor(() => (Object.values(missing()).every((ids) => ids.length === 0) ? 'none' : undefined), { timeoutMs: 30_000 }).catch(() => missing());
    expect(lost).toBe('none');
  });
});

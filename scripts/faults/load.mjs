// The partner side of the fault suite: one organisation with a key, one garage per phase (so every
// invariant can be told per fault), a webhook receiver the suite runs, and workers that keep doing
// what a garage's software does: customers, vehicles, bookings with parts, status changes to
// completed (or cancelled), stock adjustments. Every request is logged with its phase, times and
// status; what the checks need to know is what the API acknowledged (2xx) and what it did not.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { connectMongo, ensureIndexes } from '@pitlane/mongo';

import { ROOT } from '../../bench/lib.mjs';

const { Webhook } = createRequire(import.meta.url)('standardwebhooks');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Organisation, garages and a read_write key straight into the gateway's database, as the admin CLI does. */
export async function provisionTenant(mongoUrl, garageIds) {
  const { registerModels } = await import(join(ROOT, 'services/gateway/dist/data-access/tenancy.model.js'));
  const { provisioningFor } = await import(join(ROOT, 'services/gateway/dist/service.js'));
  const db = await connectMongo({ url: mongoUrl, dbName: 'pitlane_gateway' });
  try {
    const provisioning = provisioningFor(registerModels(db));
    // as the admin CLI does: the collections exist before the first upsert (mongoose's autoCreate
    // racing an upsert on a fresh database can lose the upserted document on the stand-in)
    await ensureIndexes(db);
    await provisioning.upsertOrganisation({ _id: 'org_faults', name: 'Fault Suite Motors', tier: 'enterprise', apiAccessEnabled: true, maxActiveKeys: 5 });
    for (const id of garageIds) {
      await provisioning.upsertGarage({ _id: id, organisationId: 'org_faults', name: `Faults ${id}`, timezone: 'Europe/London', currency: 'GBP' });
    }
    return (await provisioning.createKey({ organisationId: 'org_faults', name: 'faults', permission: 'read_write' })).rawKey;
  } finally {
    await db.close();
  }
}

/** The partner's webhook endpoint: one path per garage, every receipt kept (signature checked). */
export function startReceiver() {
  const verifiers = new Map();
  const receipts = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const garageId = req.url.slice(1);
      let valid = false;
      let event = {};
      try {
        verifiers.get(garageId)?.verify(body, req.headers);
        valid = verifiers.has(garageId);
        event = JSON.parse(body);
      } catch {
        // counted as invalid
      }
      receipts.push({ at: Date.now(), garageId, id: req.headers['webhook-id'], type: event.type, data: event.data, valid });
      res.writeHead(valid ? 204 : 400).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      receipts,
      trust: (garageId, secret) => verifiers.set(garageId, new Webhook(secret)),
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
    }));
  });
}

/** Calls through the gateway with the key; every call lands in `log` with its phase. */
export function partnerClient(gatewayUrl, key, log) {
  return async function call(phase, garageId, method, path, body) {
    const entry = { phase, garageId, method, path, t0: Date.now(), t1: 0, status: 0 };
    log.push(entry);
    let data;
    try {
      const response = await fetch(`${gatewayUrl}/api/v1/garages/${garageId}${path}`, {
        method,
        headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(20_000),
      });
      entry.status = response.status;
      data = (await response.json().catch(() => ({}))).data;
    } catch (error) {
      entry.error = error.name; // no answer: counted as a server-side failure (like a 5xx)
    }
    entry.t1 = Date.now();
    return { status: entry.status, ok: entry.status >= 200 && entry.status < 300, data };
  };
}

/** A garage ready for the workers: every day open, a service, a well-stocked item, a webhook for every event. */
export async function setUpGarage(call, garageId, receiver) {
  const must = async (method, path, body, status) => {
    const reply = await call('setup', garageId, method, path, body);
    if (reply.status !== status) throw new Error(`setup ${garageId}: ${method} ${path} → ${reply.status}`);
    return reply.data;
  };
  const open = { open: '00:00', close: '23:59' };
  await must('PUT', '/schedule', {
    openingHours: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: open, sun: open },
    closedDates: [], dailyCapacity: 10_000, slotMinutes: 60, slotCapacity: 10_000, timeslotRequired: false,
  }, 200);
  const service = await must('POST', '/services', { name: 'Inspection', durationMinutes: 60, prices: [{ vehicleType: 'car', price: 8999 }] }, 201);
  const item = await must('POST', '/inventory', { sku: `FLT-${garageId}`, name: 'Oil filter', unitPrice: 1250, quantityOnHand: 100_000, reorderLevel: 1, unitCost: 800 }, 201);
  const hook = await must('POST', '/webhooks', { url: `${receiver.url}/${garageId}`, events: ['*'], description: 'fault suite' }, 201);
  receiver.trust(garageId, hook.secret);
  return { garageId, serviceId: service.id, itemId: item.id };
}

/** Bookings learns items from inventory's events: wait until a part can be added in the garage. */
export async function waitUntilItemsKnown(call, garage) {
  const customer = await call('setup', garage.garageId, 'POST', '/customers', { firstName: 'Probe', lastName: 'Setup', email: `probe-${garage.garageId}@faults.test` });
  const vehicle = await call('setup', garage.garageId, 'POST', '/vehicles', { customerId: customer.data.id, make: 'VW', model: 'probe', vehicleType: 'car', year: 2020 });
  const booking = await call('setup', garage.garageId, 'POST', '/bookings', { customerId: customer.data.id, vehicleId: vehicle.data.id, date: dateOf(0), serviceIds: [garage.serviceId], notes: 'probe' });
  const deadline = Date.now() + 30_000;
  while (!(await call('setup', garage.garageId, 'POST', `/bookings/${booking.data.id}/parts`, { itemId: garage.itemId, quantity: 1 })).ok) {
    if (Date.now() > deadline) throw new Error(`bookings never learned the item of ${garage.garageId}`);
    await sleep(250);
  }
}

function dateOf(n) {
  return new Date(Date.now() + (1 + (n % 60)) * 86_400_000).toISOString().slice(0, 10);
}

const COMPLETE = ['confirmed', 'checked_in', 'in_progress', 'completed'];

/**
 * One booking's life (see the file comment). What was sent and acknowledged goes into `journal`,
 * keyed by a tag written into the record (email, model, notes, adjustment note) so the checks can
 * find each record, and count copies, through the public API.
 */
async function journey(call, phase, garage, tag, n, journal) {
  const record = { phase, garageId: garage.garageId, tag, steps: {} };
  journal.push(record);
  const step = async (name, method, path, body) => {
    const reply = await call(phase, garage.garageId, method, path, body);
    record.steps[name] = reply.ok ? 'acked' : 'sent';
    return reply;
  };
  const customer = await step('customer', 'POST', '/customers', { firstName: 'Fault', lastName: tag, email: `${tag}@faults.test` });
  if (!customer.ok) return;
  const vehicle = await step('vehicle', 'POST', '/vehicles', { customerId: customer.data.id, make: 'Honda', model: tag, vehicleType: 'car', year: 2003 });
  if (!vehicle.ok) return;
  const booking = await step('booking', 'POST', '/bookings', { customerId: customer.data.id, vehicleId: vehicle.data.id, date: dateOf(n), serviceIds: [garage.serviceId], notes: tag });
  if (!booking.ok) return;
  record.bookingId = booking.data.id;
  record.quantity = 1 + (n % 3);
  if (!(await step('part', 'POST', `/bookings/${record.bookingId}/parts`, { itemId: garage.itemId, quantity: record.quantity })).ok) return;
  await call(phase, garage.garageId, 'GET', `/bookings/${record.bookingId}`);
  if (n % 2 === 0) await step('adjust', 'POST', `/inventory/${garage.itemId}/adjust`, { delta: 3, reason: 'received', note: tag });
  const path = n % 4 === 0 ? [] : n % 4 === 3 ? ['cancelled'] : COMPLETE;
  for (const status of path) {
    if (!(await step(status, 'POST', `/bookings/${record.bookingId}/status`, { status })).ok) return;
  }
}

/** `workers` loops of journeys in the garage of the current phase until stop(). */
export function startWorkers({ call, workers, currentPhase, journal }) {
  let running = true;
  let counter = 0;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (running) {
      const { name, garage } = currentPhase();
      const n = counter++;
      await journey(call, name, garage, `w${w}n${n}${garage.garageId.slice(-2)}`, n, journal).catch(() => undefined);
      // a request that failed fast (a service is down) should not turn into a tight loop
      await sleep(50);
    }
  });
  return { stop: async () => { running = false; await Promise.all(loops); } };
}

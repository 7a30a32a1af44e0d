// Benchmark of booking creation: 50 connections (autocannon) create bookings across many days and
// slots for BENCH_DURATION_S seconds, through the gateway (API key, rate limit raised out of the way)
// when it starts, else straight to the service with a signed internal token (printed either way).
// Prints creates/s, p50/p99 latency and the refusals, then verifies from the database that no day
// and no slot holds more bookings than its capacity, and that every counter equals its bookings.
//
//   npm run bench:bookings                 (50 connections, 20 s, 365 days × 10 slots)
//   BENCH_DURATION_S=60 BENCH_CONNECTIONS=100 npm run bench:bookings
//   BENCH_DIRECT=1 npm run bench:bookings  (without the gateway, to see its share)
//
// Needs MongoDB (or the stand-in), RabbitMQ and (for the gateway) Redis at MONGO_URL / AMQP_URL /
// REDIS_URL (defaults: 127.0.0.1). Everything runs in-process on port 0 with its own names.
import { signInternalToken } from '@pitlane/core';
import amqp from 'amqplib';
import autocannon from 'autocannon';

import { readConfig } from '../services/bookings/dist/config.js';
import { cpuSplit, headline, printCpuSplit } from './lib.mjs';
import { expectOk, partnerApi } from './partner-api.mjs';
import { startBookings } from '../services/bookings/dist/service.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const DAILY_CAPACITY = 25;
const SLOT_CAPACITY = 3;
const SLOTS = ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00'];
const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-internal-secret-at-least-32-characters';
const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const garage = { garageId: `gar_bench_${id}`, organisationId: `org_bench_${id}`, name: 'Bench Garage', timezone: 'Europe/London', currency: 'GBP' };

function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The gateway in front of the service, with an enterprise key; null if it cannot be started. */
async function tryGateway(bookingsUrl) {
  try {
    const { readConfig: gatewayConfig } = await import('../services/gateway/dist/config.js');
    const { startGateway } = await import('../services/gateway/dist/service.js');
    const gateway = await startGateway(
      gatewayConfig({
        HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', MONGO_URL, MONGO_DB: `bench_gateway_${id}`, REDIS_URL,
        REDIS_PREFIX: `bench:${id}:`, INTERNAL_JWT_SECRET: SECRET, BOOKINGS_URL: bookingsUrl, RATE_LIMIT_ENTERPRISE: '100000000',
      }),
    );
    const provisioning = gateway.context.provisioning;
    await provisioning.upsertOrganisation({ _id: garage.organisationId, name: 'Bench', tier: 'enterprise', apiAccessEnabled: true });
    await provisioning.upsertGarage({ _id: garage.garageId, organisationId: garage.organisationId, name: garage.name, timezone: garage.timezone, currency: garage.currency });
    const { rawKey } = await provisioning.createKey({ organisationId: garage.organisationId, name: 'bench', permission: 'read_write' });
    const api = partnerApi({ baseUrl: gateway.url, apiKey: rawKey });
    await expectOk('gateway probe: GET schedule', api.GET('/api/v1/garages/{garageId}/schedule', { params: { path: { garageId: garage.garageId } } }));
    return { url: gateway.url, headers: { 'x-api-key': rawKey }, api, gateway, mode: 'through the gateway (API key, enterprise tier)' };
  } catch (error) {
    console.log(`(gateway not usable, benchmarking the service directly: ${error instanceof Error ? error.message : error})`);
    return null;
  }
}

async function main() {
  const bookings = await startBookings(
    readConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', MONGO_URL, MONGO_DB: `bench_bookings_${id}`, AMQP_URL, EVENTS_EXCHANGE: `bench.bookings.${id}`, INTERNAL_JWT_SECRET: SECRET }),
    { queue: `bench.bookings.${id}.bookings` },
  );
  const internalToken = signInternalToken({ ...garage, keyId: 'bench', permission: 'read_write', garage, requestId: 'bench' }, SECRET, 3600);
  const direct = {
    url: bookings.url,
    headers: { 'x-pitlane-internal-token': internalToken },
    api: partnerApi({ baseUrl: bookings.url, internalToken }),
    mode: 'straight to the service (signed internal token)',
  };
  const target = (process.env.BENCH_DIRECT === '1' ? null : await tryGateway(bookings.url)) ?? direct;
  const base = `${target.url}/api/v1/garages/${garage.garageId}`;
  const headers = { ...target.headers, 'content-type': 'application/json' };

  const open = { open: '08:00', close: '18:00' };
  const inGarage = { params: { path: { garageId: garage.garageId } } };
  await expectOk('PUT schedule', target.api.PUT('/api/v1/garages/{garageId}/schedule', {
    ...inGarage,
    body: { openingHours: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: open, sun: open }, closedDates: [], dailyCapacity: DAILY_CAPACITY, slotMinutes: 60, slotCapacity: SLOT_CAPACITY, timeslotRequired: false },
  }));
  const customer = await expectOk('POST customer', target.api.POST('/api/v1/garages/{garageId}/customers', { ...inGarage, body: { firstName: 'Bench', lastName: 'Fleet' } }));
  // one vehicle per booking (each may hold one active booking); inserted in bulk, setup is not measured
  const fleetSize = 40_000;
  const vehicles = Array.from({ length: fleetSize }, (_, i) => ({ _id: `veh_bench_${i}`, garageId: garage.garageId, organisationId: garage.organisationId, customerId: customer.data.id, make: 'VW', model: 'Golf', vehicleType: 'car' }));
  for (let i = 0; i < fleetSize; i += 5000) await bookings.models.Vehicle.insertMany(vehicles.slice(i, i + 5000), { ordered: false });

  const firstDay = addDays(new Date().toISOString().slice(0, 10), 7);
  let next = 0;
  const statuses = {};
  const refusals = {};
  // the load itself stays on autocannon: the SDK is a client, not a load generator
  const instance = autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        path: `/api/v1/garages/${garage.garageId}/bookings`,
        headers,
        setupRequest: (request) => {
          const date = addDays(firstDay, Math.floor(Math.random() * DAYS));
          const withSlot = Math.random() < 0.8; // most partners pick a slot, some only a day
          const body = { customerId: customer.data.id, vehicleId: `veh_bench_${next++ % fleetSize}`, date, ...(withSlot ? { timeslot: SLOTS[Math.floor(Math.random() * SLOTS.length)] } : {}) };
          return { ...request, body: JSON.stringify(body) };
        },
        onResponse: (status, body) => {
          if (status !== 201) {
            const code = (() => { try { return JSON.parse(body).error.code; } catch { return 'unparsed'; } })();
            refusals[code] = (refusals[code] ?? 0) + 1;
          }
        },
      },
    ],
  });
  const cpu = cpuSplit({ 'bench (bookings + gateway in-process)': process.pid });
  const started = Date.now();
  const createdPer5s = [];
  instance.on('response', (_client, statusCode) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode === 201) {
      const bucket = Math.floor((Date.now() - started) / 5_000);
      createdPer5s[bucket] = (createdPer5s[bucket] ?? 0) + 1;
    }
  });
  const result = await instance;
  const cpuUse = cpu.end();

  const created = statuses[201] ?? 0;
  console.log(`\nbooking creation ${target.mode}: ${CONNECTIONS} connections, ${DURATION_S} s, ${DAYS} days × ${SLOTS.length} slots (day ${DAILY_CAPACITY}, slot ${SLOT_CAPACITY})`);
  console.log(`  requests/s   ${(result.requests.total / DURATION_S).toFixed(1)}   (all answers, incl. refusals)`);
  console.log(`  creates/s    ${(created / DURATION_S).toFixed(1)}   (${created} bookings created)`);
  console.log(`  over time    ${Array.from({ length: Math.ceil(DURATION_S / 5) }, (_, i) => ((createdPer5s[i] ?? 0) / 5).toFixed(0)).join(' → ')} creates/s per 5 s`);
  console.log(`  latency      p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   max ${result.latency.max} ms`);
  console.log(`  statuses     ${JSON.stringify(statuses)}   refusals ${JSON.stringify(refusals)}   errors ${result.errors}   timeouts ${result.timeouts}`);
  printCpuSplit(cpuUse);

  // requests still in flight when autocannon stopped finish on the server: let them land first
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  // every booking.created must leave the outbox: how long after the run until the backlog is empty?
  const drainStarted = Date.now();
  let backlog = await bookings.relay.backlog();
  const backlogAtEnd = backlog;
  while (backlog > 0 && Date.now() - drainStarted < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    backlog = await bookings.relay.backlog();
  }
  console.log(`  outbox       ${backlogAtEnd} events pending 3 s after the run, ${backlog} after ${((Date.now() - drainStarted) / 1000).toFixed(1)} s more`);
  // verification from the source of truth: bookings per day and per slot against the capacities
  const rows = await bookings.models.Booking.aggregate([
    { $match: { garageId: garage.garageId, deletedAt: null, status: { $nin: ['cancelled', 'no_show'] } } },
    { $group: { _id: { date: '$date', timeslot: '$timeslot' }, n: { $sum: 1 } } },
  ]);
  const perDay = new Map();
  let overSlot = 0;
  for (const row of rows) {
    perDay.set(row._id.date, (perDay.get(row._id.date) ?? 0) + row.n);
    if (row._id.timeslot && row.n > SLOT_CAPACITY) overSlot++;
  }
  const overDay = [...perDay.values()].filter((n) => n > DAILY_CAPACITY).length;
  // the day documents (day count and slot counts) must equal the bookings they were taken for
  const days = await bookings.models.CapacityDay.find({ garageId: garage.garageId }).lean();
  const slotRows = new Map(rows.filter((r) => r._id.timeslot).map((r) => [`${r._id.date}|${r._id.timeslot}`, r.n]));
  let mismatched = 0;
  for (const day of days) {
    if (day.booked !== (perDay.get(day.date) ?? 0) || day.claims.filter((c) => c.slot === null).length !== day.booked) mismatched++;
    for (const [slot, n] of Object.entries(day.slots ?? {})) {
      if (n !== (slotRows.get(`${day.date}|${slot}`) ?? 0) || day.claims.filter((c) => c.slot === slot).length !== n) mismatched++;
    }
  }
  const totalBookings = [...perDay.values()].reduce((a, b) => a + b, 0);
  const fullDays = [...perDay.values()].filter((n) => n === DAILY_CAPACITY).length;
  console.log(`  verified     ${totalBookings} bookings on ${perDay.size} days (${fullDays} full): days over capacity ${overDay}, slots over capacity ${overSlot}, counters not equal to their bookings ${mismatched}`);
  // answers after the timer are not counted by autocannon, so up to one in flight per connection more exist
  const ok = backlog === 0 && overDay === 0 && overSlot === 0 && mismatched === 0 && totalBookings >= created && totalBookings <= created + CONNECTIONS;

  await bookings.connection.dropDatabase();
  await bookings.close();
  if (target.gateway) {
    await target.gateway.connection.dropDatabase().catch(() => undefined);
    await target.gateway.close?.().catch(() => undefined);
  }
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  await channel.deleteExchange(`bench.bookings.${id}`);
  await connection.close();
  console.log(ok ? '  OK: no day or slot over capacity, every event published' : '  FAILED: capacity violated, counters inconsistent or events left in the outbox');
  headline({ bench: 'bookings', createsPerSec: Number((created / DURATION_S).toFixed(1)), overbooked: overDay + overSlot, mismatched, p50Ms: result.latency.p50, through: target.gateway ? 'gateway' : 'direct', saturating: true, connections: CONNECTIONS });
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

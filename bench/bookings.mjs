// Benchmark of booking creation: 50 connections (autocannon) create bookings across many days and
// slots for BENCH_DURATION_S seconds, through the gateway (API key, rate limit raised out of the way),
// or straight to the service with a signed internal token (BENCH_DIRECT=1).
// Prints creates/s, p50/p99 latency and the refusals, then verifies from the database that no day
// and no slot holds more bookings than its capacity, and that every counter equals its bookings.
//
//   npm run bench:bookings                 (50 connections, 20 s, 365 days × 10 slots)
//   BENCH_DURATION_S=60 BENCH_CONNECTIONS=100 npm run bench:bookings
//   BENCH_DIRECT=1 npm run bench:bookings  (without the gateway, to see its share)
//   BENCH_PROFILE_DIR=/tmp/prof npm run bench:bookings  (a CPU profile of the bookings process)
//
// Needs MongoDB (or the stand-in), RabbitMQ and (for the gateway) Redis at MONGO_URL / AMQP_URL /
// REDIS_URL (defaults: 127.0.0.1). The bookings service and the gateway run as their own processes (as
// they are deployed: each has a core's worth of event loop), on free ports with their own names; the
// bench process is the load generator and reads the database for setup and verification.
import { join } from 'node:path';

import { signInternalToken } from '@pitlane/core';
import amqp from 'amqplib';
import autocannon from 'autocannon';

import { BENCH_SECRET, cpuSplit, freePort, headline, infra, printCpuSplit, ROOT, startService } from './lib.mjs';
import { expectOk, partnerApi } from './partner-api.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const DAILY_CAPACITY = 25;
const SLOT_CAPACITY = 3;
const SLOTS = ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00'];
const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const garage = { garageId: `gar_bench_${id}`, organisationId: `org_bench_${id}`, name: 'Bench Garage', timezone: 'Europe/London', currency: 'GBP' };

function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The gateway in front of the service (its own process), with an enterprise key provisioned straight into its database. */
async function startGatewayFor(bookingsUrl) {
  const gateway = await startService('gateway', {
    PORT: String(await freePort()), METRICS_PORT: String(await freePort()), MONGO_DB: `bench_gateway_${id}`,
    REDIS_PREFIX: `bench:${id}:`, BOOKINGS_URL: bookingsUrl, RATE_LIMIT_ENTERPRISE: '100000000',
  });
  const { connectMongo } = await import('@pitlane/mongo');
  const { registerModels } = await import(join(ROOT, 'services/gateway/dist/data-access/tenancy.model.js'));
  const { provisioningFor } = await import(join(ROOT, 'services/gateway/dist/service.js'));
  const db = await connectMongo({ url: infra.MONGO_URL, dbName: `bench_gateway_${id}` });
  const provisioning = provisioningFor(registerModels(db));
  await provisioning.upsertOrganisation({ _id: garage.organisationId, name: 'Bench', tier: 'enterprise', apiAccessEnabled: true });
  await provisioning.upsertGarage({ _id: garage.garageId, organisationId: garage.organisationId, name: garage.name, timezone: garage.timezone, currency: garage.currency });
  const { rawKey } = await provisioning.createKey({ organisationId: garage.organisationId, name: 'bench', permission: 'read_write' });
  const api = partnerApi({ baseUrl: gateway.url, apiKey: rawKey });
  await expectOk('gateway probe: GET schedule', api.GET('/api/v1/garages/{garageId}/schedule', { params: { path: { garageId: garage.garageId } } }));
  return { url: gateway.url, headers: { 'x-api-key': rawKey }, api, gateway, db, mode: 'through the gateway (API key, enterprise tier)' };
}

/** Events stored and not yet published, across the service's outbox collections (what its relay's backlog() counts). */
async function outboxBacklog(models) {
  let total = 0;
  for (const model of models) {
    const [row] = await model.collection
      .aggregate([{ $match: { 'outbox.id': { $exists: true } } }, { $project: { n: { $size: '$outbox' } } }, { $group: { _id: null, total: { $sum: '$n' } } }])
      .toArray();
    total += row?.total ?? 0;
  }
  return total;
}

async function main() {
  // BENCH_PROFILE_DIR: the service runs with --cpu-prof into it
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const bookings = await startService('bookings', {
    PORT: String(await freePort()), METRICS_PORT: String(await freePort()), MONGO_DB: `bench_bookings_${id}`, EVENTS_EXCHANGE: `bench.bookings.${id}`,
  }, profile);
  const { connectMongo } = await import('@pitlane/mongo');
  const { registerModels, outboxModels } = await import(join(ROOT, 'services/bookings/dist/data-access/models.js'));
  const bookingsDb = await connectMongo({ url: infra.MONGO_URL, dbName: `bench_bookings_${id}` });
  const models = registerModels(bookingsDb);
  const internalToken = signInternalToken({ ...garage, keyId: 'bench', permission: 'read_write', garage, requestId: 'bench' }, BENCH_SECRET, 3600);
  const direct = {
    url: bookings.url,
    headers: { 'x-pitlane-internal-token': internalToken },
    api: partnerApi({ baseUrl: bookings.url, internalToken }),
    mode: 'straight to the service (signed internal token)',
  };
  const target = process.env.BENCH_DIRECT === '1' ? direct : await startGatewayFor(bookings.url);
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
  for (let i = 0; i < fleetSize; i += 5000) await models.Vehicle.insertMany(vehicles.slice(i, i + 5000), { ordered: false });

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
  const cpu = cpuSplit({ 'bench (autocannon)': process.pid, bookings: bookings.pid, ...(target.gateway ? { gateway: target.gateway.pid } : {}) });
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
  let backlog = await outboxBacklog(outboxModels(models));
  const backlogAtEnd = backlog;
  while (backlog > 0 && Date.now() - drainStarted < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    backlog = await outboxBacklog(outboxModels(models));
  }
  console.log(`  outbox       ${backlogAtEnd} events pending 3 s after the run, ${backlog} after ${((Date.now() - drainStarted) / 1000).toFixed(1)} s more`);
  // verification from the source of truth: bookings per day and per slot against the capacities
  const rows = await models.Booking.aggregate([
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
  const days = await models.CapacityDay.find({ garageId: garage.garageId }).lean();
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

  await bookingsDb.dropDatabase();
  await bookingsDb.close();
  await bookings.stop();
  if (target.gateway) {
    await target.db.dropDatabase().catch(() => undefined);
    await target.db.close();
    await target.gateway.stop();
  }
  const connection = await amqp.connect(infra.AMQP_URL);
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

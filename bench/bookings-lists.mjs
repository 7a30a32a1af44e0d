// Lists at 50k documents: a 20-item page of bookings and of customers and a customer search, each
// with the total (the default envelope) and with ?count=false (hasMore from limit + 1, no count).
// Requests go one at a time, evenly paced (BENCH_RATE per second), straight to the service with a
// signed internal token: this measures the database query plus the service, not the gateway.
//
//   npm run bench:bookings-lists           (50,000 bookings and customers, 60 requests per case)
//   BENCH_DOCS=100000 BENCH_REQUESTS=100 npm run bench:bookings-lists
//
// Needs MongoDB (or the stand-in) and RabbitMQ at MONGO_URL / AMQP_URL. Setup (bulk inserts) is not measured.
import { signInternalToken } from '@pitlane/core';
import amqp from 'amqplib';

import { readConfig } from '../services/bookings/dist/config.js';
import { startBookings } from '../services/bookings/dist/service.js';
import { cpuSplit, headline, paced, printCpuSplit } from './lib.mjs';

const DOCS = Number(process.env.BENCH_DOCS ?? 50_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const SECRET = 'bench-internal-secret-at-least-32-characters';
const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const garage = { garageId: `gar_lists_${id}`, organisationId: `org_lists_${id}`, name: 'Lists Garage', timezone: 'Europe/London', currency: 'GBP' };
const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright'];

async function main() {
  const bookings = await startBookings(
    readConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', MONGO_URL, MONGO_DB: `bench_lists_${id}`, AMQP_URL, EVENTS_EXCHANGE: `bench.lists.${id}`, INTERNAL_JWT_SECRET: SECRET }),
    { queue: `bench.lists.${id}.bookings` },
  );
  const { models } = bookings;
  const base = { garageId: garage.garageId, organisationId: garage.organisationId };
  const t0 = Date.now();
  for (let i = 0; i < DOCS; i += 5000) {
    const n = Math.min(5000, DOCS - i);
    const at = (k) => new Date(Date.UTC(2026, 0, 1) + (i + k) * 60_000);
    await models.Customer.insertMany(
      Array.from({ length: n }, (_, k) => {
        const last = `${SURNAMES[(i + k) % SURNAMES.length]}${i + k}`;
        return { _id: `cus_l_${i + k}`, ...base, firstName: 'Pat', lastName: last, fullName: `Pat ${last}`, email: `pat${i + k}@example.com`, createdAt: at(k), updatedAt: at(k) };
      }),
      { ordered: false, lean: true },
    );
    await models.Booking.insertMany(
      Array.from({ length: n }, (_, k) => ({
        _id: `bk_l_${i + k}`, ...base, number: `BK-${String(i + k + 1).padStart(6, '0')}`, customerId: `cus_l_${i + k}`, vehicleId: `veh_l_${i + k}`,
        vehicleType: 'car', date: new Date(Date.UTC(2026, 0, 1) + ((i + k) % 365) * 86_400_000).toISOString().slice(0, 10), timeslot: null,
        services: [], currency: 'GBP', technicianId: null, technicianIds: [], bayId: null, notes: null, status: 'pending', statusHistory: [],
        parts: [], stages: [], deletedAt: null, createdAt: at(k), updatedAt: at(k),
      })),
      { ordered: false, lean: true },
    );
  }
  console.log(`setup: ${DOCS} bookings and ${DOCS} customers in ${((Date.now() - t0) / 1000).toFixed(1)} s (not measured)`);

  const token = signInternalToken({ ...base, keyId: 'bench', permission: 'read', garage, requestId: 'bench' }, SECRET, 3600);
  const url = `${bookings.url}/api/v1/garages/${garage.garageId}`;
  const cases = [
    ['bookings page (total)', '/bookings?limit=20'],
    ['bookings page (count=false)', '/bookings?limit=20&count=false'],
    ['bookings by date (count=false)', '/bookings?limit=20&sort=date&count=false'],
    ['customers page (count=false)', '/customers?limit=20&count=false'],
    ['customer search (total)', '/customers/search?q=wright'],
    ['customer search (count=false)', '/customers/search?q=wright&count=false'],
  ];
  const results = {};
  const cpu = cpuSplit({ 'bench (bookings in-process)': process.pid });
  // plain fetch on purpose: these requests are the measured load, straight to the service (no gateway,
  // no SDK layer in the timings); the benches' partner calls go through @pitlane/sdk (partner-api.mjs)
  for (const [name, path] of cases) {
    await fetch(`${url}${path}`, { headers: { 'x-pitlane-internal-token': token } }); // warm-up
    const run = await paced({
      rate: RATE,
      durationS: REQUESTS / RATE,
      send: async () => {
        const response = await fetch(`${url}${path}`, { headers: { 'x-pitlane-internal-token': token } });
        await response.arrayBuffer();
        return response.status;
      },
    });
    results[name] = run;
    console.log(`  ${name.padEnd(32)} p50 ${run.p50.toFixed(1).padStart(6)} ms   p99 ${run.p99.toFixed(1).padStart(6)} ms   statuses ${JSON.stringify(run.statuses)}`);
  }
  printCpuSplit(cpu.end());

  await bookings.connection.dropDatabase();
  await bookings.close();
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  await channel.deleteExchange(`bench.lists.${id}`);
  await connection.close();
  const p50 = (name) => Number(results[name].p50.toFixed(1));
  headline({
    bench: 'bookings-lists', docs: DOCS,
    pageP50Ms: p50('bookings page (count=false)'), pageWithTotalP50Ms: p50('bookings page (total)'), sortedByDateP50Ms: p50('bookings by date (count=false)'),
    searchP50Ms: p50('customer search (count=false)'), searchWithTotalP50Ms: p50('customer search (total)'), customersPageP50Ms: p50('customers page (count=false)'),
  });
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

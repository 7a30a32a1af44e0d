// Lists at 50k documents: a 20-item page of bookings and of customers and a customer search, each
// with the total (the default envelope), with ?count=false (hasMore from limit + 1, no count) and by
// ?cursor= (the pages after the first, read from the cursors a walk handed out; a deep one from the
// middle of the list). Requests are evenly paced (BENCH_RATE per second, an open model), straight
// to the service with a signed internal token: this measures the database query plus the service,
// not the gateway. The sort by date comes last: on the stand-in it is a full sort, and its backlog
// would spill into the next case.
//
//   npm run bench:bookings-lists           (50,000 bookings and customers, 60 requests per case)
//   BENCH_DOCS=100000 BENCH_REQUESTS=100 npm run bench:bookings-lists
//   BENCH_LIST_ORDER=index npm run bench:bookings-lists   (the default order sorted, as on MongoDB)
//
// BENCH_LIST_ORDER (default natural) is the service's LIST_ORDER: `natural` reads the default order
// as the stand-in's insertion order (no sort); `index` sorts by createdAt and _id, which MongoDB
// serves from the { garageId, createdAt, _id } index but the stand-in sorts by collecting every match.
//
// Needs MongoDB (or the stand-in) and RabbitMQ at MONGO_URL / AMQP_URL. Setup (bulk inserts) is not measured.
import { encodeCursor, filterFingerprint, signInternalToken } from '@pitlane/core';
import amqp from 'amqplib';

import { readConfig } from '../services/bookings/dist/config.js';
import { startBookings } from '../services/bookings/dist/service.js';
import { cpuSplit, headline, paced, printCpuSplit } from './lib.mjs';

const DOCS = Number(process.env.BENCH_DOCS ?? 50_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const LIST_ORDER = process.env.BENCH_LIST_ORDER ?? 'natural';
const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const SECRET = 'bench-internal-secret-at-least-32-characters';
const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const garage = { garageId: `gar_lists_${id}`, organisationId: `org_lists_${id}`, name: 'Lists Garage', timezone: 'Europe/London', currency: 'GBP' };
const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright'];

async function main() {
  const bookings = await startBookings(
    readConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', MONGO_URL, MONGO_DB: `bench_lists_${id}`, AMQP_URL, EVENTS_EXCHANGE: `bench.lists.${id}`, INTERNAL_JWT_SECRET: SECRET, LIST_ORDER }),
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
  console.log(`setup: ${DOCS} bookings and ${DOCS} customers in ${((Date.now() - t0) / 1000).toFixed(1)} s (not measured); LIST_ORDER=${LIST_ORDER}`);

  const token = signInternalToken({ ...base, keyId: 'bench', permission: 'read', garage, requestId: 'bench' }, SECRET, 3600);
  const url = `${bookings.url}/api/v1/garages/${garage.garageId}`;
  const get = (path) => fetch(`${url}${path}`, { headers: { 'x-pitlane-internal-token': token } });
  /** the cursors of pages 2, 3, … of a walk (read once, not measured): request i reads page i + 2 */
  async function cursorsOf(path, pages) {
    const cursors = [];
    let next = (await (await get(`${path}&count=false`)).json()).pagination.nextCursor;
    while (next && cursors.length < pages) {
      cursors.push(next);
      next = (await (await get(`${path}&cursor=${encodeURIComponent(next)}`)).json()).pagination.nextCursor;
    }
    return cursors;
  }
  const bookingCursors = await cursorsOf('/bookings?limit=20', REQUESTS + 1);
  const searchCursors = await cursorsOf('/customers/search?q=wright&limit=20', REQUESTS + 1);
  // half-way down the list: what a walk's later pages cost (the stand-in scans from the newest end)
  const middle = Math.floor(DOCS / 2);
  const deepCursor = encodeCursor(filterFingerprint({}), { createdAt: new Date(Date.UTC(2026, 0, 1) + middle * 60_000), _id: `bk_l_${middle}` });
  const cases = [
    ['bookings page (total)', () => '/bookings?limit=20'],
    ['bookings page (count=false)', () => '/bookings?limit=20&count=false'],
    ['bookings cursor (next pages)', (i) => `/bookings?limit=20&cursor=${encodeURIComponent(bookingCursors[(i + 1) % bookingCursors.length])}`],
    // the stand-in scans from the newest end to the cursor (25k documents): paced at 2/s so the figure is the scan, not a queue
    ['bookings cursor (half-way)', () => `/bookings?limit=20&cursor=${encodeURIComponent(deepCursor)}`, { rate: 2, requests: Math.max(5, Math.round(REQUESTS / 6)) }],
    ['customers page (count=false)', () => '/customers?limit=20&count=false'],
    ['customer search (total)', () => '/customers/search?q=wright'],
    ['customer search (count=false)', () => '/customers/search?q=wright&count=false'],
    ['customer search (cursor)', (i) => `/customers/search?q=wright&limit=20&cursor=${encodeURIComponent(searchCursors[(i + 1) % searchCursors.length])}`],
    // a full sort on the stand-in (~1 s under load): at BENCH_RATE its backlog only measures the queue
    // (and 503s once requests time out), so it is paced at one a second: the sort's own latency
    ['bookings by date (count=false)', () => '/bookings?limit=20&sort=date&count=false', { rate: 1, requests: Math.max(5, Math.round(REQUESTS / 6)) }],
  ];
  const results = {};
  const cpu = cpuSplit({ 'bench (bookings in-process)': process.pid });
  // plain fetch on purpose: these requests are the measured load, straight to the service (no gateway,
  // no SDK layer in the timings); the benches' partner calls go through @pitlane/sdk (partner-api.mjs)
  for (const [name, pathOf, { rate = RATE, requests = REQUESTS } = {}] of cases) {
    await (await get(pathOf(-1))).arrayBuffer(); // warm-up
    const run = await paced({
      rate,
      durationS: requests / rate,
      send: async (i) => {
        const response = await get(pathOf(i));
        await response.arrayBuffer();
        return response.status;
      },
    });
    results[name] = run;
    console.log(`  ${name.padEnd(32)} p50 ${run.p50.toFixed(1).padStart(6)} ms   p99 ${run.p99.toFixed(1).padStart(6)} ms   statuses ${JSON.stringify(run.statuses)}`);
  }
  printCpuSplit(cpu.end());

  // the stand-in may still be working off the sorts by date (their requests timed out, its work did not)
  for (let attempt = 1; ; attempt++) {
    try {
      await bookings.connection.dropDatabase();
      break;
    } catch (error) {
      if (attempt === 12) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
  await bookings.close();
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  await channel.deleteExchange(`bench.lists.${id}`);
  await connection.close();
  const p50 = (name) => Number(results[name].p50.toFixed(1));
  headline({
    bench: 'bookings-lists', docs: DOCS, listOrder: LIST_ORDER,
    pageP50Ms: p50('bookings page (count=false)'), cursorP50Ms: p50('bookings cursor (next pages)'), deepCursorP50Ms: p50('bookings cursor (half-way)'),
    searchCursorP50Ms: p50('customer search (cursor)'), pageWithTotalP50Ms: p50('bookings page (total)'), sortedByDateP50Ms: p50('bookings by date (count=false)'),
    searchP50Ms: p50('customer search (count=false)'), searchWithTotalP50Ms: p50('customer search (total)'), customersPageP50Ms: p50('customers page (count=false)'),
  });
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

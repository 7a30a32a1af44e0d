// 1 vs 2 worker processes, side by side, for billing and webhooks: each worker is its own OS process
// (`node services/<name>/dist/main.js` with PITLANE_ROLE=worker), so the comparison is what adding a
// worker pod does, not what adding a consumer inside one process does.
//   billing:  N booking.completed events (spread over G garages) → N invoices; throughput = invoices/s
//             from the first publish until the last invoice exists.
//   webhooks: N customer.created events, K subscriptions on a local receiver (its own thread) →
//             N×K deliveries/s from the first publish until the last delivery arrived.
// Each run gets its own database and exchange, a warm-up batch first, and a check that every invoice /
// delivery exists exactly once. Prints a table and one JSON line.
//
//   npm run bench:scale                       (N=1000, G=20, K=2, workers 1 and 2)
//   BENCH_N=2000 BENCH_ROUNDS=2 npm run bench:scale
//
// Needs MongoDB (or the stand-in) and RabbitMQ at MONGO_URL / AMQP_URL (defaults: 127.0.0.1).
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';

import { createLogger, Metrics, signInternalToken } from '@pitlane/core';
import { createEvent, EventBus } from '@pitlane/events';
import amqp from 'amqplib';
import mongoose from 'mongoose';

import { BENCH_SECRET, freePort, infra, startService } from './lib.mjs';
import { expectOk, partnerApi } from './partner-api.mjs';

const N = Number(process.env.BENCH_N ?? 1000);
const GARAGES = Number(process.env.BENCH_GARAGES ?? 20);
const K = Number(process.env.BENCH_K ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WARM_UP = 50;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 180_000);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(label, done) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${label}: not done after ${TIMEOUT_MS} ms`);
    await sleep(25);
  }
}

/** One service, `workers` worker processes (+ one api process where the bench needs the API). */
async function stack(service, workers, extraEnv = {}, withApi = false) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const exchange = `bench.scale.${service}.${id}`;
  const env = { MONGO_DB: `bench_scale_${service}_${id}`, EVENTS_EXCHANGE: exchange, DRAIN_DELAY_MS: '0', ...extraEnv };
  const processes = [];
  const api = withApi ? await startService(service, { ...env, PORT: String(await freePort()), PITLANE_ROLE: 'api' }) : undefined;
  if (api) processes.push(api);
  for (let w = 0; w < workers; w++) {
    processes.push(await startService(service, { ...env, PORT: String(await freePort()), PITLANE_ROLE: 'worker' }));
  }
  const publisher = new EventBus({
    url: infra.AMQP_URL, exchange, queue: `${exchange}.publisher`,
    logger: createLogger('bench', 'silent'), metrics: new Metrics('bench', { defaultMetrics: false }),
  });
  await publisher.start();
  const db = await mongoose.createConnection(infra.MONGO_URL, { dbName: env.MONGO_DB }).asPromise();
  return {
    api,
    db,
    publish: (events) => Promise.all(events.map((event) => publisher.publish(event))),
    async close() {
      await Promise.all(processes.map((process) => process.stop()));
      await publisher.stop();
      await db.dropDatabase();
      await db.close();
      const connection = await amqp.connect(infra.AMQP_URL);
      const channel = await connection.createChannel();
      const queue = `${exchange}.${service}`;
      for (const name of [queue, `${queue}.dead`, `${queue}.retry.1000ms`, `${queue}.retry.10000ms`, `${queue}.retry.60000ms`, `${exchange}.publisher`]) {
        await channel.deleteQueue(name);
      }
      await channel.deleteExchange(exchange);
      await connection.close();
    },
  };
}

function bookingCompleted(garageId, index) {
  const customerId = `cus-${randomUUID()}`;
  const vehicleId = `veh-${randomUUID()}`;
  return createEvent('bookings', {
    type: 'booking.completed',
    organisationId: 'org-bench',
    garageId,
    data: {
      booking: { bookingId: `bkg-${randomUUID()}`, number: `BK-${index}`, customerId, vehicleId, date: '2026-11-20', timeslot: null, status: 'completed', technicianId: null },
      completedAt: '2026-11-20T15:30:00.000Z',
      currency: 'EUR',
      customer: { id: customerId, firstName: 'Bench', lastName: `Customer ${index}`, email: null, phone: null },
      vehicle: { id: vehicleId, customerId, vin: null, registration: `B-${index}`, make: 'VW', model: 'Golf', year: 2020, vehicleType: 'car' },
      technician: null,
      services: [{ serviceId: 'svc-1', name: 'Inspection', code: null, unitPrice: 8999, quantity: 1, taxRate: 2000 }],
      parts: [{ lineId: `line-${index}`, itemId: 'itm-1', sku: 'FLT', name: 'Filter', unitPrice: 1250, quantity: 2, taxRate: 2000, status: 'reserved' }],
    },
  });
}

async function billing(workers) {
  const run = await stack('billing', workers);
  const invoices = () => run.db.collection('invoices').countDocuments({});
  const garages = Array.from({ length: GARAGES }, (_, g) => `gar-bench-${g}`);
  await run.publish(Array.from({ length: WARM_UP }, (_, i) => bookingCompleted(garages[i % GARAGES], `w${i}`)));
  await until('billing warm-up', async () => (await invoices()) >= WARM_UP);

  const started = performance.now();
  await run.publish(Array.from({ length: N }, (_, i) => bookingCompleted(garages[i % GARAGES], i)));
  await until('billing', async () => (await invoices()) >= WARM_UP + N);
  const seconds = (performance.now() - started) / 1000;
  await sleep(500); // a duplicate invoice would show up here
  const total = await invoices();
  await run.close();
  return { perSecond: N / seconds, seconds, exact: total === WARM_UP + N };
}

/** The partner's receiver in its own thread: answers 204 and reports (path, webhook-id) in batches. */
const RECEIVER = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
let batch = [];
setInterval(() => { if (batch.length) { parentPort.postMessage(batch); batch = []; } }, 20);
http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  req.resume();
  req.on('end', () => { batch.push(req.url + ' ' + req.headers['webhook-id']); res.writeHead(204).end(); });
}).listen(0, '127.0.0.1', function () { parentPort.postMessage({ port: this.address().port }); });
`;

async function webhooks(workers) {
  const receiver = new Worker(RECEIVER, { eval: true });
  const received = [];
  const receiverUrl = await new Promise((resolve) => {
    receiver.on('message', (message) => (Array.isArray(message) ? received.push(...message) : resolve(`http://127.0.0.1:${message.port}`)));
  });
  const garage = { garageId: 'gar_bench', organisationId: 'org_bench' };
  const run = await stack('webhooks', workers, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_INTERVAL_MS: '200', WEBHOOK_SECRETS_KEYS: `bench1:${Buffer.alloc(32, 9).toString('base64')}` }, true);
  const token = signInternalToken(
    { ...garage, keyId: 'bench', permission: 'read_write', garage: { name: 'Bench', timezone: 'UTC', currency: 'EUR' }, requestId: randomUUID() },
    BENCH_SECRET,
  );
  // the api process's partner API (no gateway in this bench), through the SDK
  const api = partnerApi({ baseUrl: run.api.url, internalToken: token });
  for (let k = 0; k < K; k++) {
    await expectOk('cannot create a subscription: POST webhooks', api.POST('/api/v1/garages/{garageId}/webhooks', {
      params: { path: { garageId: garage.garageId } },
      body: { url: `${receiverUrl}/endpoint-${k}`, events: ['customer.created'] },
    }));
  }
  const customerCreated = (index) =>
    createEvent('bench', {
      type: 'customer.created',
      ...garage,
      data: { customer: { id: `cus_${index}`, firstName: 'Bench', lastName: `Customer ${index}`, email: null, phone: null } },
    });
  await run.publish(Array.from({ length: WARM_UP }, (_, i) => customerCreated(`w${i}`)));
  await until('webhooks warm-up', () => received.length >= WARM_UP * K);

  const started = performance.now();
  for (let i = 0; i < N; i += 200) await run.publish(Array.from({ length: Math.min(200, N - i) }, (_, j) => customerCreated(i + j)));
  await until('webhooks', () => received.length >= (WARM_UP + N) * K);
  const seconds = (performance.now() - started) / 1000;
  await sleep(500); // a duplicate delivery would show up here
  const exact = received.length === (WARM_UP + N) * K && new Set(received).size === received.length;
  await run.close();
  await receiver.terminate();
  return { perSecond: (N * K) / seconds, seconds, exact };
}

const results = { billing: { 1: [], 2: [] }, webhooks: { 1: [], 2: [] } };
for (let round = 0; round < ROUNDS; round++) {
  for (const workers of [1, 2]) {
    results.billing[workers].push(await billing(workers));
    results.webhooks[workers].push(await webhooks(workers));
  }
}

const median = (runs) => {
  const sorted = runs.map((run) => run.perSecond).sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
};
const rows = [
  ['service', 'unit', '1 worker', '2 workers', 'gain', 'exactly once'],
  ...['billing', 'webhooks'].map((service) => {
    const [w1, w2] = [median(results[service][1]), median(results[service][2])];
    const exact = [...results[service][1], ...results[service][2]].every((run) => run.exact);
    return [service, service === 'billing' ? 'invoices/s' : 'deliveries/s', w1, w2, `×${(w2 / w1).toFixed(2)}`, exact ? 'yes' : 'NO'];
  }),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
console.log(`scale benchmark: N=${N} events per run (billing over ${GARAGES} garages; webhooks × ${K} subscriptions), ${ROUNDS} round(s), median`);
for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
console.log(
  JSON.stringify({
    bench: 'scale',
    n: N,
    rounds: ROUNDS,
    billing: { w1: median(results.billing[1]), w2: median(results.billing[2]) },
    webhooks: { w1: median(results.webhooks[1]), w2: median(results.webhooks[2]) },
  }),
);
const allExact = Object.values(results).every((byWorkers) => Object.values(byWorkers).flat().every((run) => run.exact));
process.exit(allExact ? 0 : 1);

// Benchmark of the webhooks service's delivery path: events published to the exchange for one garage
// with K subscriptions, all pointing at a local receiver (its own thread) that verifies every
// Standard Webhooks signature with the `standardwebhooks` package. Two phases:
//   1. burst: N events at once → sustained deliveries/s until the last one arrived;
//   2. paced: RATE events/s for SECONDS → p50/p99 from publish to receipt.
// Then checks that every (subscription, event) arrived exactly once with a valid signature.
//
//   npm run bench:webhooks                 (K=3, N=2000, RATE=200 events/s for 10 s)
//   BENCH_K=5 BENCH_N=4000 BENCH_RATE=200 BENCH_SECONDS=10 npm run bench:webhooks
//
// Needs MongoDB (or the stand-in) and RabbitMQ at MONGO_URL / AMQP_URL (defaults: 127.0.0.1).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

import { createLogger, Metrics, signInternalToken } from '@pitlane/core';
import { createEvent, EventBus } from '@pitlane/events';
import amqp from 'amqplib';
import mongoose from 'mongoose';

import { cpuSplit, printCpuSplit } from './lib.mjs';
import { expectOk, partnerApi } from './partner-api.mjs';

// BENCH_DIST: another build of the service (e.g. a copy of an earlier dist) for before/after pairs
const DIST = new URL(`../services/webhooks/${process.env.BENCH_DIST ?? 'dist'}/`, import.meta.url);
const { readConfig } = await import(new URL('config.js', DIST).href);
const { startWebhooks } = await import(new URL('service.js', DIST).href);

const K = Number(process.env.BENCH_K ?? 3);
const N = Number(process.env.BENCH_N ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 120_000);
const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const SECRET = 'bench-internal-secret-0123456789abcdefghij';
const garage = { garageId: 'gar_bench', organisationId: 'org_bench' };
const now = () => performance.timeOrigin + performance.now();

/** CPU (utime and stime, ms) of this process's threads grouped by name: MainThread is the service and the
 * publisher, WorkerThread the receiver, V8Worker the garbage collector and compiler threads. */
function threadCpu() {
  const byName = {};
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [user, system] = [Number(fields[11]) * 10, Number(fields[12]) * 10]; // clock ticks (USER_HZ 100) → ms
      const sum = (byName[name] ??= { user: 0, system: 0 });
      sum.user += user;
      sum.system += system;
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName;
}

/** The partner's receiver, in its own thread so it does not share an event loop with the service. */
const RECEIVER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { Webhook } = require(workerData.standardwebhooks);
const verifiers = new Map(Object.entries(workerData.secrets).map(([path, secret]) => [path, new Webhook(secret)]));
let batch = [];
setInterval(() => { if (batch.length) { parentPort.postMessage(batch); batch = []; } }, 20);
const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = performance.timeOrigin + performance.now();
    const body = Buffer.concat(chunks).toString('utf8');
    let valid = false;
    try { verifiers.get(req.url).verify(body, req.headers); valid = true; } catch {}
    batch.push({ path: req.url, id: req.headers['webhook-id'], at, valid });
    res.writeHead(valid ? 204 : 400).end();
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
`;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The partner API of the service itself (no gateway in this bench), through the SDK. */
function serviceApi(url) {
  const internalToken = signInternalToken(
    { ...garage, keyId: 'bench', permission: 'read_write', garage: { name: 'Bench', timezone: 'UTC', currency: 'EUR' }, requestId: randomUUID() },
    SECRET,
    3600,
  );
  return partnerApi({ baseUrl: url, internalToken });
}

function customerCreated(index) {
  return createEvent('bench', {
    type: 'customer.created',
    ...garage,
    data: { customer: { id: `cus_${index}`, firstName: 'Bench', lastName: `Customer ${index}`, email: null, phone: null } },
  });
}

async function main() {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const exchange = `bench.webhooks.${id}`;
  const queue = `${exchange}.webhooks`;
  const database = `bench_webhooks_${id}`;
  const config = readConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    // command monitoring on the service's client: database commands per delivery are counted below
    MONGO_URL: `${MONGO_URL}${MONGO_URL.includes('?') ? '&' : '?'}monitorCommands=true`,
    MONGO_DB: database,
    AMQP_URL,
    EVENTS_EXCHANGE: exchange,
    INTERNAL_JWT_SECRET: SECRET,
    WEBHOOK_SECRETS_KEYS: `bench1:${Buffer.alloc(32, 9).toString('base64')}`,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  const service = await startWebhooks(config, { queue });
  const commands = new Map();
  let counting = false;
  service.connection.getClient().on('commandStarted', (event) => {
    if (counting) commands.set(event.commandName, (commands.get(event.commandName) ?? 0) + 1);
  });
  const publisher = new EventBus({
    url: AMQP_URL, exchange, queue: `${exchange}.publisher`,
    logger: createLogger('bench', 'silent'), metrics: new Metrics('bench', { defaultMetrics: false }),
  });
  await publisher.start();

  // receiver thread: learns the secrets, then reports receipts in batches
  const secrets = {};
  const subscriptions = [];
  for (let k = 0; k < K; k++) subscriptions.push(`/endpoint-${k}`);
  const received = [];
  const api = serviceApi(service.url);
  const inGarage = { garageId: garage.garageId };
  for (const path of subscriptions) {
    // the receiver's port is known only once it runs, and it needs the secrets first: create, then PATCH the URL
    const created = await expectOk('cannot create a subscription: POST webhooks', api.POST('/api/v1/garages/{garageId}/webhooks', {
      params: { path: inGarage },
      body: { url: `http://127.0.0.1:1${path}`, events: ['customer.created'] },
    }));
    secrets[path] = created.data.secret;
    subscriptions[subscriptions.indexOf(path)] = { path, id: created.data.id };
  }
  const worker = new Worker(RECEIVER, { eval: true, workerData: { secrets, standardwebhooks: createRequire(import.meta.url).resolve('standardwebhooks') } });
  const receiverUrl = await new Promise((resolve) => {
    worker.on('message', (message) => {
      if (Array.isArray(message)) received.push(...message);
      else resolve(`http://127.0.0.1:${message.port}`);
    });
  });
  for (const { path, id: wid } of subscriptions) {
    await expectOk(`PATCH webhook ${wid}`, api.PATCH('/api/v1/garages/{garageId}/webhooks/{wid}', { params: { path: { ...inGarage, wid } }, body: { url: `${receiverUrl}${path}` } }));
  }

  const publishedAt = new Map();
  const publishAll = async (events) => {
    await Promise.all(events.map(async (event) => {
      publishedAt.set(event.id, now());
      await publisher.publish(event);
    }));
  };
  const waitForCount = async (count, label) => {
    const deadline = Date.now() + TIMEOUT_MS;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`${label}: only ${received.length}/${count} deliveries arrived in time`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  // warm-up (connections, JIT)
  await publishAll(Array.from({ length: 50 }, (_, i) => customerCreated(`warm-${i}`)));
  await waitForCount(50 * K, 'warm-up');
  const warm = received.length;

  // phase 1: burst
  const burst = Array.from({ length: N }, (_, i) => customerCreated(`burst-${i}`));
  const cpu = cpuSplit({ 'bench (webhooks + publisher + receiver)': process.pid });
  const threadsBefore = threadCpu();
  const burstStart = now();
  counting = true;
  for (let i = 0; i < burst.length; i += 200) await publishAll(burst.slice(i, i + 200));
  await waitForCount(warm + N * K, 'burst');
  const burstEnd = Math.max(...received.slice(warm).map((r) => r.at));
  counting = false;
  const commandCount = [...commands.values()].reduce((sum, n) => sum + n, 0);
  const burstRate = (N * K) / ((burstEnd - burstStart) / 1000);
  const afterBurst = received.length;

  // phase 2: paced
  const total = RATE * SECONDS;
  const paced = Array.from({ length: total }, (_, i) => customerCreated(`paced-${i}`));
  const tickMs = 10;
  const perTick = (RATE * tickMs) / 1000;
  const pacedStart = now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((now() - pacedStart) / tickMs + 1) * perTick));
    if (due > sent) {
      const slice = paced.slice(sent, due);
      sent = due;
      void publishAll(slice);
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  await waitForCount(afterBurst + total * K, 'paced');
  const pacedElapsed = (now() - pacedStart) / 1000;
  const split = cpu.end();
  const threadsAfter = threadCpu();
  const latencies = received.slice(afterBurst).map((r) => r.at - publishedAt.get(r.id)).sort((a, b) => a - b);

  // exactly once, all signatures valid
  const counts = new Map();
  for (const r of received) counts.set(`${r.path} ${r.id}`, (counts.get(`${r.path} ${r.id}`) ?? 0) + 1);
  const expected = (50 + N + total) * K;
  const duplicates = [...counts.values()].filter((c) => c > 1).length;
  const invalid = received.filter((r) => !r.valid).length;

  console.log(`webhooks benchmark: K=${K} subscriptions, receiver verifying signatures (standardwebhooks)`);
  console.log(`burst: ${N} events → ${N * K} deliveries in ${((burstEnd - burstStart) / 1000).toFixed(2)} s = ${burstRate.toFixed(0)} deliveries/s`);
  console.log(`       ${(commandCount / (N * K)).toFixed(2)} database commands per delivery (${[...commands].map(([name, n]) => `${name} ${n}`).join(', ')})`);
  console.log(`paced: ${RATE} events/s for ${SECONDS} s (${RATE * K} deliveries/s offered), all received after ${pacedElapsed.toFixed(2)} s`);
  console.log(`       publish → receipt latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`);
  console.log(`exactly once: ${counts.size}/${expected} distinct deliveries, ${duplicates} duplicated, ${received.length - counts.size} extra, ${invalid} invalid signatures`);
  console.log(`CPU over burst + paced (${(N + total) * K} deliveries):`);
  printCpuSplit(split);
  for (const [name, { cpuMs: ms }] of Object.entries(split)) console.log(`    ${name.padEnd(32)} ${((ms * 1000) / ((N + total) * K)).toFixed(0).padStart(7)} µs per delivery`);
  console.log('  the bench process by thread (MainThread: service + publisher; WorkerThread: receiver; V8Worker: GC, compiler):');
  const threads = Object.entries(threadsAfter).map(([name, { user, system }]) => {
    const before = threadsBefore[name] ?? { user: 0, system: 0 };
    return { name, user: user - before.user, system: system - before.system };
  });
  for (const { name, user, system } of threads.sort((a, b) => b.user + b.system - (a.user + a.system))) {
    const used = user + system;
    if (used > 0) console.log(`    ${name.padEnd(32)} ${String(Math.round(used)).padStart(7)} ms   ${((used * 1000) / ((N + total) * K)).toFixed(0).padStart(4)} µs per delivery (user ${Math.round(user)} ms, system ${Math.round(system)} ms)`);
  }
  // headline (issue 16's keys): burst throughput, p99 of the paced phase, deliveries never received
  console.log(
    JSON.stringify({
      bench: 'webhooks',
      deliveriesPerSec: Math.round(burstRate),
      p99Ms: Number(percentile(latencies, 99).toFixed(1)),
      lost: Math.max(0, expected - counts.size),
      dbCommandsPerDelivery: Number((commandCount / (N * K)).toFixed(2)),
    }),
  );

  await service.close();
  await publisher.stop();
  await worker.terminate();
  const connection = await mongoose.createConnection(MONGO_URL, { dbName: database }).asPromise();
  await connection.dropDatabase();
  await connection.close();
  const amqpConnection = await amqp.connect(AMQP_URL);
  const channel = await amqpConnection.createChannel();
  for (const name of [queue, `${queue}.dead`, `${queue}.retry.1000ms`, `${queue}.retry.10000ms`, `${queue}.retry.60000ms`, `${exchange}.publisher`]) {
    await channel.deleteQueue(name);
  }
  await channel.deleteExchange(exchange);
  await amqpConnection.close();
  if (counts.size !== expected || duplicates > 0 || invalid > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

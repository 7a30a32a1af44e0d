// The fuzz run's own stack: a memory-backed MongoDB stand-in on its own port, the five services from
// dist on free ports, sharing the running Redis (own key prefix) and RabbitMQ (own exchange and
// queues), with the demo data seeded through the API (scripts/demo-data.mjs) so that fuzzed requests
// reach real records. `stop()` ends every process it started and removes its queues and Redis keys.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import amqp from 'amqplib';
import { Redis } from 'ioredis';

import { BENCH_SECRET, freePort, infra, ROOT, startService } from '../../bench/lib.mjs';
import { startLauncher } from '../../bench/mongo-launcher.mjs';

const SERVICES = ['bookings', 'inventory', 'billing', 'webhooks'];

/** Records seeded by demo-data.mjs, found through the list endpoints: path parameter → list path. */
const SEEDED = {
  customerId: '/customers',
  vehicleId: '/vehicles',
  bookingId: '/bookings',
  serviceId: '/services',
  technicianId: '/technicians',
  bayId: '/bays',
  iid: '/inventory',
  estimateId: '/estimates',
};

export async function startFuzzStack({ mongoPort, logDir }) {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const exchange = `fuzz.${runId}`;
  const redisPrefix = `fuzz:${runId}:`;
  mkdirSync(logDir, { recursive: true });
  const logFd = openSync(join(logDir, 'services.log'), 'w');
  const stoppers = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch((error) => console.error(`cleanup: ${error.message}`));
    closeSync(logFd);
  };
  const timings = {};
  let mark = Date.now();
  const lap = (name) => { timings[name] = Date.now() - mark; mark = Date.now(); };
  try {
    const mongo = await startLauncher({ port: mongoPort, backend: 'memory' });
    stoppers.push(() => mongo.kill('SIGTERM'));
    lap('mongo');
    stoppers.push(() => cleanUpBroker(exchange));
    stoppers.push(() => cleanUpRedis(redisPrefix));

    const ports = Object.fromEntries(await Promise.all(['gateway', ...SERVICES, 'smtp'].map(async (name) => [name, await freePort()])));
    const url = (name) => `http://127.0.0.1:${ports[name]}`;
    const shared = {
      MONGO_URL: mongo.url,
      EVENTS_EXCHANGE: exchange,
      LOG_LEVEL: 'warn',
      DRAIN_DELAY_MS: '0',
      // nothing listens there: estimate e-mails stay queued instead of landing in the shared Mailpit
      SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
      PUBLIC_BASE_URL: url('gateway'),
      WEBHOOK_SECRETS_KEYS: `fuzz:${randomBytes(32).toString('base64')}`,
    };
    const started = await Promise.allSettled(
      SERVICES.map((name) => startService(name, { ...shared, PORT: String(ports[name]), MONGO_DB: `fuzz_${name}` }, [], logFd)),
    );
    for (const result of started) if (result.status === 'fulfilled') stoppers.push(result.value.stop);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    lap('services');
    const gatewayEnv = {
      ...shared,
      PORT: String(ports.gateway),
      MONGO_DB: 'fuzz_gateway',
      REDIS_PREFIX: redisPrefix,
      BOOKINGS_URL: url('bookings'),
      INVENTORY_URL: url('inventory'),
      BILLING_URL: url('billing'),
      WEBHOOKS_URL: url('webhooks'),
      CONSOLE_JWT_SECRET: randomBytes(32).toString('hex'),
      // the fuzzer sends thousands of requests from one key and one IP: limits it must not hit
      RATE_LIMIT_STANDARD: '100000000',
      RATE_LIMIT_PREMIUM: '100000000',
      RATE_LIMIT_ENTERPRISE: '100000000',
      RATE_LIMIT_PUBLIC: '100000000',
      AUTH_FAILURE_LIMIT: '100000000',
      CONSOLE_LOGIN_FAILS_PER_IP: '100000000',
    };
    const gateway = await startService('gateway', gatewayEnv, [], logFd);
    stoppers.push(gateway.stop);
    lap('gateway');

    const seeded = await seed(gatewayEnv);
    lap('seed');
    return { runId, gatewayUrl: gateway.url, ...seeded, timings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** demo-data.mjs seeds the tenants (gateway CLI) and fills the London garage through the API. */
async function seed(gatewayEnv) {
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'demo-data.mjs')], {
    env: { ...process.env, ...infra, INTERNAL_JWT_SECRET: BENCH_SECRET, ...gatewayEnv, GATEWAY_PORT: gatewayEnv.PORT },
  });
  const apiKey = /Demo key[^\n]*\n\s+(\S+)/.exec(stdout)?.[1];
  const garageId = /Demo garage:\s+(\S+)/.exec(stdout)?.[1];
  if (!apiKey || !garageId) throw new Error(`demo-data.mjs printed no key or garage:\n${stdout}`);
  const base = `http://127.0.0.1:${gatewayEnv.PORT}/api/v1/garages/${garageId}`;
  // the first record of each kind for every operation, the second (where there is one) for DELETEs,
  // so that a delete early in the run does not leave the other operations with nothing but 404s
  const ids = {};
  const deleteIds = {};
  for (const [parameter, path] of Object.entries(SEEDED)) {
    const response = await fetch(`${base}${path}?limit=2`, { headers: { 'x-api-key': apiKey } });
    const [first, second] = response.ok ? ((await response.json()).data ?? []) : [];
    if (typeof first?.id === 'string') ids[parameter] = first.id;
    if (typeof (second ?? first)?.id === 'string') deleteIds[parameter] = (second ?? first).id;
  }
  return { apiKey, garageId, ids, deleteIds };
}

async function cleanUpBroker(exchange) {
  const connection = await amqp.connect(infra.AMQP_URL);
  try {
    const channel = await connection.createChannel();
    for (const service of [...SERVICES, 'gateway']) {
      const queue = `${exchange}.${service}`;
      for (const name of [queue, `${queue}.dead`, `${queue}.retry.1000ms`, `${queue}.retry.10000ms`, `${queue}.retry.60000ms`]) {
        await channel.deleteQueue(name);
      }
    }
    await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}

async function cleanUpRedis(prefix) {
  const redis = new Redis(infra.REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

// API Access console: fills 30 days of usage for one organisation (>= 1,000,000 requests over 20 keys
// and 5 garages) by writing the hourly rollups in bulk through the gateway's own rollup code, and places
// BENCH_RAW of the records as raw records in the audit viewer's buckets through its own append; starts the
// gateway and measures the console endpoints sequentially. Then times the page in headless Chromium.
// Prints one JSON line. Env: BENCH_REQUESTS (1_000_000), BENCH_SAMPLES (60 per endpoint), BENCH_RAW
// (200_000), BENCH_PAGE_LOADS (10), CHROMIUM_PATH (/usr/bin/chromium).
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { freePort, infra, ROOT, startService } from './lib.mjs';
import { expectOk, partnerApi } from './partner-api.mjs';

const require = createRequire(import.meta.url);
const dist = (path) => require(join(ROOT, 'services/gateway/dist', path));
const mongoose = require(join(ROOT, 'node_modules/mongoose'));
const puppeteer = require(join(ROOT, 'node_modules/puppeteer-core'));
const { registerModels } = dist('data-access/tenancy.model.js');
const { provisioningFor } = dist('service.js');
const { TenancyRepository } = dist('data-access/tenancy.repository.js');
const { rollupWrites } = dist('console/domain/usage-increments.js');
const { UsageRollupRepository } = dist('console/data-access/usage-rollup.repository.js');
const { AuditBucketRepository } = dist('console/data-access/audit-bucket.repository.js');
const { registerConsoleModels } = dist('console/data-access/console-user.model.js');
const { ConsoleUserRepository } = dist('console/data-access/console-user.repository.js');
const { createConsoleUser } = dist('console/application/manage-users.js');

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const RAW = Number(process.env.BENCH_RAW ?? 200_000);
const PAGE_LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 10);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORG = 'org_bench_console';
const DB = `bench_console_${Date.now()}`;
const HOUR = 3_600_000;

// a deterministic pseudo-random source, so runs are comparable
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pick = (list) => list[Math.floor(random() * list.length)];

const routes = ['customers', 'customers/:id', 'vehicles', 'bookings', 'bookings/:id', 'bookings/:id/status', 'inventory', 'invoices', 'estimates', 'technicians']
  .map((r) => `/api/v1/garages/:garageId/${r}`);
const methods = ['GET', 'GET', 'GET', 'GET', 'POST', 'PATCH', 'DELETE'];
const agents = ['fleet-sync/1.4', 'python-requests/2.32', 'node-fetch/3', 'curl/8.5', 'PostmanRuntime/7.39', 'Zapier', 'garage-app/5.0 (iOS)', 'go-http-client/2'];
const ips = Array.from({ length: 40 }, (_, i) => `203.0.113.${i + 1}`);

function record(at, keyId, garageId) {
  const r = random();
  const status = r < 0.93 ? 200 : r < 0.96 ? 404 : r < 0.985 ? 400 : r < 0.995 ? 429 : 503;
  return {
    timestamp: new Date(at),
    requestId: `bench-${at}-${random()}`,
    keyId,
    organisationId: ORG,
    garageId,
    method: pick(methods),
    route: pick(routes),
    status,
    latencyMs: Math.exp(Math.log(8) + random() * 3.5), // 8 ms .. ~260 ms, log-uniform
    responseBytes: Math.floor(200 + random() * random() * 200_000),
    userAgent: pick(agents),
    clientIp: pick(ips),
    errorCode: status === 404 ? 'RESOURCE_NOT_FOUND' : status === 400 ? 'VALIDATION_FAILED' : status === 429 ? 'RATE_LIMIT_EXCEEDED' : status === 503 ? 'SERVICE_UNAVAILABLE' : null,
  };
}

/**
 * "Page interactive" in headless Chromium: logs in once through the form, then reloads the page PAGE_LOADS
 * times (a cold navigation each: HTML, modules, session restore from the refresh cookie, the overview, keys,
 * analytics, audit and users calls) and times navigation start → the summary cards rendered with data.
 */
async function pageInteractive(url, email, password) {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.setCacheEnabled(false);
    await page.goto(`${url}/console/`);
    await page.waitForSelector('body[data-ready="login"]');
    await page.type('#email', email);
    await page.type('#password', password);
    await Promise.all([page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }), page.click('#login-form button[type=submit]')]);
    const cardsWithData = 'document.body.dataset.ready === "true" && Number(document.querySelector(\'[data-stat="requests"] .value\')?.textContent.replace(/\\D/g, "")) > 0';
    const times = [];
    for (let i = 0; i < PAGE_LOADS + 1; i++) {
      const started = performance.now();
      await page.goto(`${url}/console/`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(cardsWithData, { timeout: 60_000, polling: 'raf' });
      if (i > 0) times.push(performance.now() - started); // the first load warms the browser's module graph
    }
    times.sort((a, b) => a - b);
    return { loads: times.length, p50: +quantile(times, 0.5).toFixed(1), max: +times.at(-1).toFixed(1) };
  } finally {
    await browser.close();
  }
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function main() {
  // generous timeouts: the fill sends large bulk writes to a stand-in that shares 2 cores with everything else
  const connection = await mongoose
    .createConnection(infra.MONGO_URL, { dbName: DB, connectTimeoutMS: 120_000, socketTimeoutMS: 0, serverSelectionTimeoutMS: 120_000 })
    .asPromise();
  try {
    await fillAndMeasure(connection);
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

async function fillAndMeasure(connection) {
  const models = registerModels(connection);
  const provisioning = provisioningFor(models);
  await provisioning.upsertOrganisation({ _id: ORG, name: 'Bench Motors', tier: 'enterprise', apiAccessEnabled: true, maxActiveKeys: 25 });
  const garages = Array.from({ length: 5 }, (_, i) => `gar_bench_${i + 1}`);
  for (const id of garages) await provisioning.upsertGarage({ _id: id, organisationId: ORG, name: `Bench garage ${id.slice(-1)}`, timezone: 'Europe/London', currency: 'GBP' });
  const keys = [];
  for (let i = 0; i < 20; i++) keys.push((await provisioning.createKey({ organisationId: ORG, name: `Key ${i + 1}`, permission: 'read_write' })).key._id);
  const users = new ConsoleUserRepository(registerConsoleModels(connection));
  const owner = await createConsoleUser({ users, tenancy: new TenancyRepository(models) }, { organisationId: ORG, email: 'owner@bench.example', role: 'owner' });

  // 30 days of hourly traffic, folded hour by hour through the same rollupWrites as the live gateway
  const fillStarted = Date.now();
  const rollups = new UsageRollupRepository(connection.db);
  const now = Date.now();
  // the console's 30 days are the last 30 UTC days, today included: fill exactly those
  const firstHour = Math.floor(now / (24 * HOUR)) * 24 * HOUR - 29 * 24 * HOUR;
  const hours = Math.floor((now - firstHour) / HOUR) + 1;
  const perHour = Math.ceil(TOTAL / hours);
  const auditBuckets = new AuditBucketRepository(connection.db);
  let rawWritten = 0;
  let written = 0;
  // one day per bulk write (the live gateway folds each audit batch of up to AUDIT_BATCH_SIZE, 2,000, records the same way)
  for (let dayStart = 0; dayStart < hours; dayStart += 24) {
    const batch = [];
    const raw = [];
    for (let h = dayStart; h < Math.min(hours, dayStart + 24); h++) {
      const hourStart = firstHour + h * HOUR;
      const hourRecords = [];
      for (let i = 0; i < perHour; i++) {
        const at = Math.min(now - 1, hourStart + Math.floor(random() * HOUR));
        const r = record(at, pick(keys), pick(garages));
        batch.push(r);
        if (i < RAW / hours) hourRecords.push(r);
      }
      // the gateway stores records in about the order they happen
      raw.push(...hourRecords.sort((a, b) => a.timestamp - b.timestamp));
    }
    written += batch.length;
    const writes = rollupWrites(batch);
    for (let i = 0; i < writes.length; i += 100) await rollups.apply(writes.slice(i, i + 100));
    for (let i = 0; i < raw.length; i += 500) await auditBuckets.append(raw.slice(i, i + 500));
    rawWritten += raw.length;
  }
  const fillSeconds = (Date.now() - fillStarted) / 1000;

  const port = await freePort();
  const gateway = await startService('gateway', { PORT: String(port), METRICS_PORT: String(await freePort()), MONGO_DB: DB, REDIS_PREFIX: `bench-console-${Date.now()}:`, CONSOLE_JWT_SECRET: 'bench-console-secret-0123456789abcdefgh' });
  try {
    const login = await expectOk('console login', partnerApi({ baseUrl: gateway.url }).POST('/console/api/auth/login', {
      body: { email: 'owner@bench.example', password: owner.oneTimePassword },
    }));
    // the console paths are in the SDK too; requests go one at a time, each timed (not a load run)
    const api = partnerApi({ baseUrl: gateway.url, consoleToken: login.data.accessToken });
    const endpoints = {
      overview: () => api.GET('/console/api/usage/overview', {}),
      keys: () => api.GET('/console/api/keys', {}),
      keyUsage: () => api.GET('/console/api/keys/{id}/usage', { params: { path: { id: keys[3] } } }),
      analytics: () => api.GET('/console/api/usage/analytics', {}),
      audit: () => api.GET('/console/api/audit', { params: { query: { limit: 50 } } }),
      auditKey: () => api.GET('/console/api/audit', { params: { query: { limit: 50, keyId: keys[5] } } }),
      auditKeyStatus: () => api.GET('/console/api/audit', { params: { query: { limit: 50, keyId: keys[5], status: 404 } } }),
    };
    const results = {};
    let overviewTotal = 0;
    for (const [name, call] of Object.entries(endpoints)) {
      const times = [];
      for (let i = 0; i < SAMPLES + 3; i++) {
        const started = performance.now();
        const body = await expectOk(name, call());
        if (name === 'overview') overviewTotal = body.data.totalRequests;
        if (i >= 3) times.push(performance.now() - started); // the first calls warm up the JIT and caches
      }
      times.sort((a, b) => a - b);
      results[name] = { p50: +quantile(times, 0.5).toFixed(1), p95: +quantile(times, 0.95).toFixed(1) };
    }
    const page = await pageInteractive(gateway.url, 'owner@bench.example', owner.oneTimePassword);
    console.log(JSON.stringify({
      bench: 'console', requests: written, overviewTotal, keys: keys.length, garages: garages.length, hours,
      rawRecords: rawWritten, fillSeconds: +fillSeconds.toFixed(1), samplesPerEndpoint: SAMPLES, ms: results, pageInteractiveMs: page,
      targetP95Met: Object.values(results).every((r) => r.p95 < 200), targetPageMet: page.max < 1000,
    }));
  } finally {
    await gateway.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

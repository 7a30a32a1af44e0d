// npm run bench:gateway — the gateway's cost, measured in one run on one machine, on two endpoints of
// the bookings service: GET /customers?limit=5 (a database read) and GET /clock (no database: express,
// the internal token check and a small JSON body, so the gateway's own share shows):
//   (a) straight to the service (with a signed internal token),
//   (b) the same endpoint through the gateway (API key auth, Redis rate limit, audit, proxy),
//   (c) through nginx as a plain reverse proxy (reference), when nginx is there (BENCH_NGINX_INSTALL=1
//       installs Debian's).
// Each target runs saturating (autocannon, CONNECTIONS connections as fast as they go) and evenly
// paced (request i starts at i / PACED_RATE s: no bursts at second boundaries, unlike autocannon's
// overallRate), with the CPU time of every process over each run divided by the requests it served.
// Needs the infrastructure (npm run infra:up). Ends with one JSON line of the headline figures.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { signInternalToken } from '@pitlane/core';

import { BENCH_SECRET, cpuSplit, freePort, headline, infra, load, paced, ROOT, startService, table } from './lib.mjs';
import { expectOk, partnerApi } from './partner-api.mjs';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const DB_PATH = process.env.BENCH_PATH ?? '/customers?limit=5';
const TRIVIAL_PATH = '/clock';
// the paced phase offers a fixed rate below saturation, so latency shows the gateway's own cost
// rather than queueing on two shared cores
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 300);
const PACED_ROUNDS = Number(process.env.BENCH_PACED_ROUNDS ?? 4);
// another build of the gateway to compare with (e.g. a copy of an older dist inside services/gateway)
const GATEWAY_MAIN = process.env.BENCH_GATEWAY_MAIN;
const runId = Date.now().toString(36);

function ensureNginx() {
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  if (process.getuid?.() !== 0 || process.env.BENCH_NGINX_INSTALL !== '1') return null;
  try {
    console.log('installing Debian nginx for the reference run…');
    execFileSync('apt-get', ['install', '-y', '-q', 'nginx-light'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    try {
      execFileSync('apt-get', ['install', '-y', '-q', 'nginx'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch {
      return null;
    }
  }
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : null;
}

async function startNginx(binary, upstreamPort) {
  const port = await freePort();
  const prefix = join(tmpdir(), `pitlane-bench-nginx-${runId}`);
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `user root; worker_processes 1; daemon off; pid ${prefix}/nginx.pid; error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  upstream service { server 127.0.0.1:${upstreamPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://service; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const child = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** keep-alive GETs for the paced phase (one socket per request in flight, reused afterwards) */
// `timeout` makes the agent honour the servers' `Keep-Alive: timeout=5` (it drops an idle socket a
// second before): without it a socket idle for exactly the servers' 5 s between two paced rounds was
// reused as the server closed it, a reset counted as an error
const agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: 30_000 });
function send(url, headers) {
  const target = new URL(url);
  const options = { agent, headers, host: target.hostname, port: target.port, path: `${target.pathname}${target.search}` };
  return () =>
    new Promise((resolve, reject) => {
      get(options, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      }).on('error', reject);
    });
}

/** CPU ms per request of every process over one run (the bench's own process is the load generator). */
function perRequest(split, requests) {
  return Object.fromEntries(Object.entries(split).map(([name, { cpuMs, cores }]) => [name, { cpuMs, cores, msPerRequest: requests ? cpuMs / requests : null }]));
}

function printCpu(rows) {
  console.log('\n  CPU per request (utime+stime from /proc over the run ÷ requests answered; Redis and RabbitMQ are shared with whatever else runs):');
  for (const row of rows) {
    const parts = Object.entries(row.cpu)
      .filter(([name, { cpuMs }]) => cpuMs > 0 && !name.startsWith('rabbitmq')) // not on this path
      .map(([name, { msPerRequest }]) => `${name.replace(/ \d+$/, '')} ${msPerRequest.toFixed(3)}`);
    console.log(`    ${row.name.padEnd(34)} ${parts.join(' · ')}`);
  }
}

/** The evenly paced phase: every target for DURATION / PACED_ROUNDS s per round, the order reversed
 * each round; percentiles over all of a target's requests, CPU summed over its rounds. */
async function pacedRounds(targets, pids) {
  const merged = targets.map((target) => ({ name: target.name, latencies: [], statuses: {}, errors: 0, total: 0, elapsedS: 0, cpuMs: {} }));
  for (let round = 0; round < PACED_ROUNDS; round++) {
    const order = round % 2 ? [...targets.keys()].reverse() : [...targets.keys()];
    for (const index of order) {
      const target = targets[index];
      const into = merged[index];
      const split = cpuSplit(pids);
      const run = await paced({ rate: PACED_RATE, durationS: DURATION / PACED_ROUNDS, send: send(target.url, target.headers) });
      for (const [name, { cpuMs }] of Object.entries(split.end())) into.cpuMs[name] = (into.cpuMs[name] ?? 0) + cpuMs;
      into.latencies.push(...run.latencies);
      for (const [status, n] of Object.entries(run.statuses)) into.statuses[status] = (into.statuses[status] ?? 0) + n;
      into.errors += run.errors;
      into.total += run.total;
      into.elapsedS += run.elapsedS;
    }
  }
  return merged.map(({ name, latencies, statuses, errors, total, elapsedS, cpuMs }) => {
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    const non2xx = Object.entries(statuses).filter(([status]) => !status.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
    const split = Object.fromEntries(Object.entries(cpuMs).map(([process, ms]) => [process, { cpuMs: ms, cores: Number((ms / (elapsedS * 1000)).toFixed(2)) }]));
    return { name, requestsPerSecond: latencies.length / elapsedS, p50: at(0.5), p99: at(0.99), statuses, errors, non2xx, total, cpu: perRequest(split, total) };
  });
}

async function main() {
  const servicePort = await freePort();
  const gatewayPort = await freePort();
  const bookings = await startService('bookings', {
    PORT: String(servicePort),
    METRICS_PORT: String(await freePort()), // not the default 9464: other gateways may run on this machine
    MONGO_DB: `bench_gw_bookings_${runId}`,
    EVENTS_EXCHANGE: `bench.gateway.${runId}`,
  });
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const gateway = await startService(
    'gateway',
    {
      PORT: String(gatewayPort),
      METRICS_PORT: String(await freePort()),
      MONGO_DB: `bench_gw_gateway_${runId}`,
      REDIS_PREFIX: `bench:${runId}:`,
      BOOKINGS_URL: bookings.url,
      RATE_LIMIT_ENTERPRISE: '100000000', // a limit this run cannot hit: we measure the limiter, not refusals
    },
    profile,
    undefined,
    GATEWAY_MAIN ? join(ROOT, GATEWAY_MAIN) : undefined,
  );

  // tenancy straight into the gateway's database, as the admin CLI does
  const { connectMongo } = await import('@pitlane/mongo');
  const { registerModels } = await import(join(ROOT, 'services/gateway/dist/data-access/tenancy.model.js'));
  const { provisioningFor } = await import(join(ROOT, 'services/gateway/dist/service.js'));
  const gatewayDb = await connectMongo({ url: infra.MONGO_URL, dbName: `bench_gw_gateway_${runId}` });
  const provisioning = provisioningFor(registerModels(gatewayDb));
  await provisioning.upsertOrganisation({ _id: 'org_bench', name: 'Bench', tier: 'enterprise', apiAccessEnabled: true, maxActiveKeys: 5 });
  await provisioning.upsertGarage({ _id: 'gar_bench', organisationId: 'org_bench', name: 'Bench Garage', timezone: 'Europe/London', currency: 'GBP' });
  const { rawKey, key } = await provisioning.createKey({ organisationId: 'org_bench', name: 'bench', permission: 'read_write' });

  const token = signInternalToken(
    {
      organisationId: 'org_bench',
      keyId: key._id,
      permission: 'read_write',
      garageId: 'gar_bench',
      garage: { name: 'Bench Garage', timezone: 'Europe/London', currency: 'GBP' },
      requestId: 'bench',
    },
    BENCH_SECRET,
    3600,
  );
  const garagePath = '/api/v1/garages/gar_bench';
  // a few records so the database endpoint does real work (straight to the service: the load is reads)
  const serviceApi = partnerApi({ baseUrl: bookings.url, internalToken: token });
  for (let i = 0; i < 5; i++) {
    await expectOk('POST customer', serviceApi.POST('/api/v1/garages/{garageId}/customers', {
      params: { path: { garageId: 'gar_bench' } },
      body: { firstName: `Bench${i}`, lastName: 'Customer', email: `bench${i}@example.com` },
    }));
  }
  const gatewayApi = partnerApi({ baseUrl: gateway.url, apiKey: rawKey });
  const nginxBinary = ensureNginx();
  const nginx = nginxBinary ? await startNginx(nginxBinary, servicePort) : null;
  if (!nginx) console.log('nginx not there (BENCH_NGINX_INSTALL=1 installs it as root): reference run skipped');

  const pids = { bench: process.pid, gateway: gateway.pid, bookings: bookings.pid };
  const endpoints = {};
  for (const [label, suffix] of [['db', DB_PATH], ['trivial', TRIVIAL_PATH]]) {
    const path = `${garagePath}${suffix}`;
    // the probe is a partner's call (the SDK); the runs below are raw load on the same URL
    const [pathname, query] = suffix.split('?');
    await expectOk(`GET ${path} through the gateway`, gatewayApi.GET(`/api/v1/garages/{garageId}${pathname}`, {
      params: { path: { garageId: 'gar_bench' }, query: Object.fromEntries(new URLSearchParams(query)) },
    }));
    const targets = [
      { name: 'direct (service)', url: `${bookings.url}${path}`, headers: { 'x-pitlane-internal-token': token } },
      { name: 'gateway', url: `${gateway.url}${path}`, headers: { 'x-api-key': rawKey } },
      ...(nginx ? [{ name: 'nginx (reference)', url: `${nginx.url}${path}`, headers: { 'x-pitlane-internal-token': token } }] : []),
    ];
    const saturating = [];
    // load stays on autocannon and the paced sender (lib.mjs): the SDK is a client, not a load generator
    for (const target of targets) {
      await load({ ...target, connections: CONNECTIONS, duration: 2 }); // warm-up
      const split = cpuSplit(pids);
      const run = await load({ ...target, connections: CONNECTIONS, duration: DURATION });
      saturating.push({ name: target.name, ...run, cpu: perRequest(split.end(), run.total) });
    }
    // The paced phase comes after every saturating run, the targets alternating in PACED_ROUNDS
    // rounds. Run straight after its own saturating run, the gateway's paced phase inherited that
    // run's tail (its last audit batches, the stand-in's garbage) while the direct one did not; and
    // the machine's load drifts from minute to minute. The pause lets the audit buffer's timer
    // (AUDIT_FLUSH_MS, 5 s) write what the saturating run left; the paced run's own audit lines are
    // written during it, as in production.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const even = await pacedRounds(targets, pids);
    endpoints[label] = { path, saturating, even };
  }

  const report = (title, results) => {
    console.log(`\n${title}\n`);
    console.log(table(results));
    const [direct, viaGateway, viaNginx] = results;
    console.log(`\n  gateway / direct throughput: ${((viaGateway.requestsPerSecond / direct.requestsPerSecond) * 100).toFixed(1)}%`);
    console.log(`  gateway added p50: ${(viaGateway.p50 - direct.p50).toFixed(2)} ms, added p99: ${(viaGateway.p99 - direct.p99).toFixed(2)} ms`);
    if (viaNginx) {
      console.log(`  nginx / direct throughput: ${((viaNginx.requestsPerSecond / direct.requestsPerSecond) * 100).toFixed(1)}%, added p50 ${(viaNginx.p50 - direct.p50).toFixed(2)} ms`);
    }
    printCpu(results);
  };
  console.log(`\n${new Date().toISOString()}`);
  for (const { path, saturating, even } of Object.values(endpoints)) {
    report(`GET ${path} — saturating: ${CONNECTIONS} connections as fast as possible, ${DURATION} s per target`, saturating);
    report(`GET ${path} — evenly paced: ${PACED_RATE} req/s offered, ${DURATION} s per target in ${PACED_ROUNDS} alternating rounds`, even);
  }

  nginx?.stop();
  await gateway.stop();
  await bookings.stop();
  await gatewayDb.dropDatabase();
  await gatewayDb.close();
  agent.destroy();

  const ratio = ({ saturating }) => Number((saturating[1].requestsPerSecond / saturating[0].requestsPerSecond).toFixed(3));
  const gatewayCpu = ({ saturating }) => Number(saturating[1].cpu.gateway.msPerRequest.toFixed(3));
  headline({
    bench: 'gateway',
    dbRatio: ratio(endpoints.db),
    trivialRatio: ratio(endpoints.trivial),
    addedP50Ms: Number((endpoints.db.even[1].p50 - endpoints.db.even[0].p50).toFixed(2)),
    trivialAddedP50Ms: Number((endpoints.trivial.even[1].p50 - endpoints.trivial.even[0].p50).toFixed(2)),
    gatewayCpuMsPerRequest: gatewayCpu(endpoints.trivial),
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// npm run bench:gateway — the gateway's cost, measured in one run on one machine:
//   (a) straight to a service endpoint (with a signed internal token),
//   (b) the same endpoint through the gateway (API key auth, Redis rate limit, audit, proxy),
//   (c) through nginx as a plain reverse proxy (reference), when Debian's nginx is installable.
// Needs the infrastructure (npm run infra:up). Prints req/s, p50, p99 and the ratios.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { signInternalToken } from '@pitlane/core';

import { BENCH_SECRET, freePort, infra, load, ROOT, startService, table } from './lib.mjs';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PATH = process.env.BENCH_PATH ?? '/customers?limit=5';
// the paced phase offers a fixed rate below saturation, so latency shows the gateway's own cost
// rather than queueing on two shared cores
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 300);
const runId = Date.now().toString(36);

function ensureNginx() {
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  if (process.getuid?.() !== 0) return null;
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

async function main() {
  const servicePort = await freePort();
  const gatewayPort = await freePort();
  const bookings = await startService('bookings', {
    PORT: String(servicePort),
    MONGO_DB: `bench_gw_bookings_${runId}`,
    EVENTS_EXCHANGE: `bench.gateway.${runId}`,
  });
  const gateway = await startService('gateway', {
    PORT: String(gatewayPort),
    MONGO_DB: `bench_gw_gateway_${runId}`,
    REDIS_PREFIX: `bench:${runId}:`,
    BOOKINGS_URL: bookings.url,
    RATE_LIMIT_ENTERPRISE: '100000000', // a limit this run cannot hit: we measure the limiter, not refusals
  }, process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []);

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
  const path = `/api/v1/garages/gar_bench${PATH}`;
  // a few records so the endpoint does real work
  for (let i = 0; i < 5; i++) {
    await fetch(`${gateway.url}${path.split('?')[0]}`, {
      method: 'POST',
      headers: { 'x-api-key': rawKey, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: `Bench${i}`, lastName: 'Customer', email: `bench${i}@example.com` }),
    });
  }
  const probe = await fetch(`${gateway.url}${path}`, { headers: { 'x-api-key': rawKey } });
  console.log(`endpoint: GET ${path} → ${probe.status} through the gateway`);

  const targets = [
    { name: 'direct (service)', url: `${bookings.url}${path}`, headers: { 'x-pitlane-internal-token': token } },
    { name: 'gateway', url: `${gateway.url}${path}`, headers: { 'x-api-key': rawKey } },
  ];
  const nginxBinary = ensureNginx();
  const nginx = nginxBinary ? await startNginx(nginxBinary, servicePort) : null;
  if (nginx) targets.push({ name: 'nginx (reference)', url: `${nginx.url}${path}`, headers: { 'x-pitlane-internal-token': token } });
  else console.log('nginx not installable here: reference run skipped');

  const rows = [];
  const paced = [];
  for (const target of targets) {
    await load({ ...target, connections: CONNECTIONS, duration: 2 }); // warm-up
    rows.push({ name: target.name, ...(await load({ ...target, connections: CONNECTIONS, duration: DURATION })) });
    paced.push({ name: target.name, ...(await load({ ...target, connections: CONNECTIONS, duration: DURATION, overallRate: PACED_RATE })) });
  }
  const report = (title, results) => {
    console.log(`\n${title}\n`);
    console.log(table(results));
    const [direct, viaGateway, viaNginx] = results;
    console.log(`\ngateway / direct throughput: ${((viaGateway.requestsPerSecond / direct.requestsPerSecond) * 100).toFixed(1)}% (target ≥ 60%)`);
    console.log(`gateway added p50: ${(viaGateway.p50 - direct.p50).toFixed(2)} ms (target ≤ 2 ms), added p99: ${(viaGateway.p99 - direct.p99).toFixed(2)} ms`);
    if (viaNginx) {
      console.log(`nginx / direct throughput: ${((viaNginx.requestsPerSecond / direct.requestsPerSecond) * 100).toFixed(1)}%, added p50 ${(viaNginx.p50 - direct.p50).toFixed(2)} ms`);
    }
  };
  console.log(`\n${new Date().toISOString()}, GET ${path}`);
  report(`saturating: ${CONNECTIONS} connections as fast as possible, ${DURATION} s per target`, rows);
  report(`paced: ${CONNECTIONS} connections, ${PACED_RATE} req/s offered, ${DURATION} s per target`, paced);
  // headline (issue 16's keys); trivialRatio is null: this bench has no database-free endpoint yet, and
  // the paced phase uses autocannon's overallRate, which bursts each second (issue 16)
  console.log(
    JSON.stringify({
      bench: 'gateway',
      dbRatio: Number((rows[1].requestsPerSecond / rows[0].requestsPerSecond).toFixed(3)),
      trivialRatio: null,
      addedP50Ms: Number((paced[1].p50 - paced[0].p50).toFixed(2)),
    }),
  );

  nginx?.stop();
  await gateway.stop();
  await bookings.stop();
  await gatewayDb.dropDatabase();
  await gatewayDb.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

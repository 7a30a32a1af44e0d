// node bench/gateway-ab.mjs <other-gateway-main.js> — two gateway builds side by side on one machine
// state: the same bookings service behind both, GET /clock through each in alternating 5 s saturating
// rounds, gateway CPU per request (utime+stime from /proc ÷ requests) and req/s per round. Used to
// compare a change with the build before it when the machine is too busy for one-after-the-other runs.
import { join } from 'node:path';

import { cpuSplit, freePort, infra, load, ROOT, startService } from './lib.mjs';

const other = process.argv[2];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const runId = Date.now().toString(36);

async function main() {
  const bookings = await startService('bookings', { PORT: String(await freePort()), METRICS_PORT: String(await freePort()), MONGO_DB: `bench_ab_bookings_${runId}`, EVENTS_EXCHANGE: `bench.ab.${runId}` });
  const gatewayEnv = async (name) => ({ PORT: String(await freePort()), METRICS_PORT: String(await freePort()), MONGO_DB: `bench_ab_gateway_${runId}`, REDIS_PREFIX: `bench:ab:${runId}:${name}:`, BOOKINGS_URL: bookings.url, RATE_LIMIT_ENTERPRISE: '100000000' });
  const gateways = {
    current: await startService('gateway', await gatewayEnv('current')),
    other: await startService('gateway', await gatewayEnv('other'), [], undefined, join(ROOT, other)),
  };
  const { connectMongo } = await import('@pitlane/mongo');
  const { registerModels } = await import(join(ROOT, 'services/gateway/dist/data-access/tenancy.model.js'));
  const { provisioningFor } = await import(join(ROOT, 'services/gateway/dist/service.js'));
  const db = await connectMongo({ url: infra.MONGO_URL, dbName: `bench_ab_gateway_${runId}` });
  const provisioning = provisioningFor(registerModels(db));
  await provisioning.upsertOrganisation({ _id: 'org_ab', name: 'AB', tier: 'enterprise', apiAccessEnabled: true, maxActiveKeys: 5 });
  await provisioning.upsertGarage({ _id: 'gar_ab', organisationId: 'org_ab', name: 'AB', timezone: 'Europe/London', currency: 'GBP' });
  const { rawKey } = await provisioning.createKey({ organisationId: 'org_ab', name: 'ab', permission: 'read_write' });
  const totals = { current: { ms: 0, n: 0, rps: [] }, other: { ms: 0, n: 0, rps: [] } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? ['other', 'current'] : ['current', 'other']) {
      const target = { url: `${gateways[name].url}/api/v1/garages/gar_ab/clock`, headers: { 'x-api-key': rawKey }, connections: 20 };
      if (round === 0) await load({ ...target, duration: 2 });
      const split = cpuSplit({ gateway: gateways[name].pid });
      const run = await load({ ...target, duration: 5 });
      const cpu = split.end().gateway.cpuMs;
      totals[name].ms += cpu;
      totals[name].n += run.total;
      totals[name].rps.push(Math.round(run.requestsPerSecond));
      console.log(`round ${round + 1} ${name.padEnd(7)} ${run.requestsPerSecond.toFixed(0)} req/s, gateway ${(cpu / run.total).toFixed(3)} ms CPU/request, non-2xx ${run.non2xx}`);
    }
  }
  for (const [name, t] of Object.entries(totals)) console.log(`${name.padEnd(7)} gateway CPU ${(t.ms / t.n).toFixed(3)} ms/request over ${t.n} requests; req/s per round ${t.rps.join(', ')}`);
  console.log(JSON.stringify({ bench: 'gateway-ab', currentCpuMsPerRequest: Number((totals.current.ms / totals.current.n).toFixed(3)), otherCpuMsPerRequest: Number((totals.other.ms / totals.other.n).toFixed(3)) }));
  await gateways.current.stop();
  await gateways.other.stop();
  await bookings.stop();
  await db.dropDatabase();
  await db.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

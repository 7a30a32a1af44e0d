// npm run bench:inventory — parallel stock adjustments on a few hot items, through the gateway:
// API key auth, rate limiter, proxy, then the inventory service's compare-and-set stock write with
// its ledger movement and outbox event. Prints adjustments/s and latency percentiles, then reads
// every item's whole ledger back through the API and checks that quantities = sum of movements.
// A second phase sends the same load straight to the service, to show what the gateway adds.
// Needs the infrastructure (npm run infra:up). Traffic stays on 127.0.0.1.
import { join } from 'node:path';

import autocannon from 'autocannon';

import { signInternalToken } from '@pitlane/core';

import { BENCH_SECRET, cpuSplit, freePort, infra, printCpuSplit, ROOT, startService } from './lib.mjs';
import { expectOk, partnerApi } from './partner-api.mjs';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const HOT_ITEMS = Number(process.env.BENCH_ITEMS ?? 5);
const OPENING_STOCK = 1_000_000;
const runId = Date.now().toString(36);

async function main() {
  const inventoryPort = await freePort();
  const gatewayPort = await freePort();
  const inventoryDb = `bench_inv_${runId}`;
  const gatewayDbName = `bench_inv_gw_${runId}`;
  const inventory = await startService('inventory', {
    PORT: String(inventoryPort),
    MONGO_DB: inventoryDb,
    EVENTS_EXCHANGE: `bench.inventory.${runId}`,
  });
  const gateway = await startService('gateway', {
    PORT: String(gatewayPort),
    MONGO_DB: gatewayDbName,
    REDIS_PREFIX: `bench:inv:${runId}:`,
    INVENTORY_URL: inventory.url,
    RATE_LIMIT_ENTERPRISE: '100000000', // we measure stock writes, not refusals
  });

  const { connectMongo } = await import('@pitlane/mongo');
  const { registerModels } = await import(join(ROOT, 'services/gateway/dist/data-access/tenancy.model.js'));
  const { provisioningFor } = await import(join(ROOT, 'services/gateway/dist/service.js'));
  const gatewayDb = await connectMongo({ url: infra.MONGO_URL, dbName: gatewayDbName });
  const provisioning = provisioningFor(registerModels(gatewayDb));
  await provisioning.upsertOrganisation({ _id: 'org_bench', name: 'Bench', tier: 'enterprise', apiAccessEnabled: true, maxActiveKeys: 5 });
  await provisioning.upsertGarage({ _id: 'gar_bench', organisationId: 'org_bench', name: 'Bench Garage', timezone: 'Europe/London', currency: 'GBP' });
  const { rawKey, key } = await provisioning.createKey({ organisationId: 'org_bench', name: 'bench', permission: 'read_write' });

  const headers = { 'x-api-key': rawKey, 'content-type': 'application/json' };
  const api = partnerApi({ baseUrl: gateway.url, apiKey: rawKey });
  const inGarage = { garageId: 'gar_bench' };
  const getItem = async (iid) => (await expectOk(`GET item ${iid}`, api.GET('/api/v1/garages/{garageId}/inventory/{iid}', { params: { path: { ...inGarage, iid } } }))).data;
  const items = [];
  for (let i = 0; i < HOT_ITEMS; i++) {
    const created = await expectOk('POST item', api.POST('/api/v1/garages/{garageId}/inventory', {
      params: { path: inGarage },
      body: { sku: `HOT-${i}`, name: `Hot item ${i}`, unitPrice: 1000, unitCost: 600, quantityOnHand: OPENING_STOCK, reorderLevel: 10 },
    }));
    items.push(created.data.id);
  }

  // sales (-1..-3) and returns/receipts (+1..+3) spread at random over the hot items
  const bodies = [
    { delta: -1, reason: 'sold' }, { delta: -2, reason: 'sold' }, { delta: -3, reason: 'damaged' },
    { delta: 1, reason: 'returned' }, { delta: 2, reason: 'received', unitCost: 650 }, { delta: 3, reason: 'correction' },
  ];
  const phase = async (name, url, phaseHeaders) => {
    // the load itself stays on autocannon: the SDK is a client, not a load generator
    const split = cpuSplit({ 'bench (autocannon)': process.pid, inventory: inventory.pid, gateway: gateway.pid });
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: DURATION,
      pipelining: 1,
      requests: [
        {
          method: 'POST',
          headers: phaseHeaders,
          setupRequest: (request) => ({
            ...request,
            path: `/api/v1/garages/gar_bench/inventory/${items[Math.floor(Math.random() * items.length)]}/adjust`,
            body: JSON.stringify(bodies[Math.floor(Math.random() * bodies.length)]),
          }),
        },
      ],
    });
    const ok = result['2xx'];
    console.log(`\n${name}: ${CONNECTIONS} connections, ${DURATION} s, ${HOT_ITEMS} hot items, ${new Date().toISOString()}`);
    console.log(`  adjustments/s: ${(ok / DURATION).toFixed(0)}`);
    console.log(`  latency ms: p50 ${result.latency.p50} · p90 ${result.latency.p90} · p99 ${result.latency.p99} · max ${result.latency.max}`);
    console.log(`  responses: ${ok} 2xx, ${result.non2xx} non-2xx, ${result.errors + result.timeouts} errors/timeouts`);
    printCpuSplit(split.end());
    return ok;
  };
  const token = signInternalToken(
    {
      organisationId: 'org_bench', keyId: key._id, permission: 'read_write', garageId: 'gar_bench',
      garage: { name: 'Bench Garage', timezone: 'Europe/London', currency: 'GBP' }, requestId: 'bench',
    },
    BENCH_SECRET,
    3600,
  );
  const viaGateway = await phase('through the gateway', gateway.url, headers);
  const direct = await phase('straight to the service (signed internal token)', inventory.url, { 'x-pitlane-internal-token': token, 'content-type': 'application/json' });
  const ok = viaGateway + direct;
  const phases = 2;

  // requests still in flight when the clock stopped complete on the server: wait until every item is quiet
  const snapshot = async () => JSON.stringify(await Promise.all(items.map(async (id) => (await getItem(id)).updatedAt)));
  for (let previous = ''; ; ) {
    const current = await snapshot();
    if (current === previous) break;
    previous = current;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  // the ledger invariant, read back through the public API
  let movementsTotal = 0;
  let consistent = true;
  for (const id of items) {
    const item = await getItem(id);
    let onHand = 0;
    let count = 0;
    let expectedSeq = 1;
    const ledger = api.paginate('/api/v1/garages/{garageId}/inventory/{iid}/movements', { params: { path: { ...inGarage, iid: id }, query: { sort: 'seq', limit: 100 } } });
    for await (const movement of ledger) {
      onHand += movement.quantity;
      count += 1;
      if (movement.seq !== expectedSeq++ || movement.quantityOnHand !== onHand) consistent = false;
    }
    movementsTotal += count - 1; // minus the opening balance
    const holds = onHand === item.quantityOnHand;
    consistent &&= holds;
    console.log(`  ${item.sku}: on hand ${item.quantityOnHand}, sum of ${count} movements ${onHand}, unit cost ${item.unitCost} → ${holds ? 'OK' : 'BROKEN'}`);
  }
  // autocannon stops counting at the deadline, but requests in flight then still complete: at most one per connection
  const allCounted = movementsTotal >= ok && movementsTotal <= ok + phases * CONNECTIONS;
  console.log(`ledger: ${movementsTotal} adjustment movements for ${ok} adjustments answered 2xx in time (+ ≤ ${CONNECTIONS} per phase in flight at the deadline) → ${allCounted ? 'OK' : 'MISMATCH'}`);
  console.log(`invariant (quantities = sum of movements, gap-free sequence): ${consistent && allCounted ? 'HOLDS' : 'BROKEN'}`);
  // headline (issue 16's keys)
  console.log(JSON.stringify({ bench: 'inventory', viaGatewayPerSec: Math.round(viaGateway / DURATION), ledgerHolds: consistent && allCounted }));

  await gateway.stop();
  await inventory.stop();
  await gatewayDb.dropDatabase();
  await gatewayDb.useDb(inventoryDb).dropDatabase();
  await gatewayDb.close();
  if (!consistent || !allCounted) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

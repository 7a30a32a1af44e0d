// What the H2 store settings cost and what they lose: acknowledged-insert and conditional-update
// throughput, then the loss window after kill -9, for MVStore's own ~1 s commits ("old"), a 100 ms
// commit interval, and commit-before-acknowledge ("ack"). Rounds interleave the settings so machine
// noise hits all of them alike. Prints one JSON line at the end.
//
//   node bench/mongo-durability.mjs [--seconds=4] [--rounds=2] [--kills=3] [--clients=4] [--concurrency=4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { MongoClient } from 'mongodb';

import { freePort } from './lib.mjs';
import { startLauncher } from './mongo-launcher.mjs';

const arg = (name, def) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const SECONDS = arg('seconds', 4), ROUNDS = arg('rounds', 2), KILLS = arg('kills', 3), CLIENTS = arg('clients', 4), CONCURRENCY = arg('concurrency', 4);
const SETTINGS = [
  { name: 'old', durability: 'interval', commitIntervalMs: 0 },
  { name: 'interval-100ms', durability: 'interval', commitIntervalMs: 100 },
  { name: 'ack', durability: 'ack', commitIntervalMs: 100 },
];
const dir = mkdtempSync(join(tmpdir(), 'pitlane-durability-bench-'));
let fileNo = 0;

async function withClients(url, fn) {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => new MongoClient(url, { maxPoolSize: CONCURRENCY }).connect()));
  try { return await fn(clients.map((c) => c.db('bench').collection('docs'))); } finally { await Promise.all(clients.map((c) => c.close(true))); }
}

/** Runs CLIENTS x CONCURRENCY loops of `op` until `until()`; returns the number of acknowledged operations. */
async function loops(collections, until, op) {
  let done = 0;
  await Promise.all(collections.flatMap((coll, c) => Array.from({ length: CONCURRENCY }, async (_, l) => {
    for (let i = 0; !until(); i++) { await op(coll, `${c}-${l}-${i}`, i); done++; }
  })));
  return done;
}

async function throughput(setting) {
  const launcher = await startLauncher({ file: join(dir, `t${fileNo++}.mv.db`), port: await freePort(), ...setting });
  try {
    return await withClients(launcher.url, async (colls) => {
      let end = performance.now() + SECONDS * 1000;
      const inserts = await loops(colls, () => performance.now() > end, (coll, id) => coll.insertOne({ _id: id, a: 0, b: 0, pad: 'x'.repeat(200) }));
      end = performance.now() + SECONDS * 1000;
      // the conditional update the services use: a guarded $inc on one document per loop
      const updates = await loops(colls, () => performance.now() > end, (coll, id) => {
        const target = id.replace(/-\d+$/, '-0');
        return coll.updateOne({ _id: target, a: { $gte: 0 } }, { $inc: { a: 1, b: 1 } });
      });
      return { insertsPerSecond: Math.round(inserts / SECONDS), updatesPerSecond: Math.round(updates / SECONDS) };
    });
  } finally { await launcher.kill('SIGTERM'); }
}

/** Writes, kill -9 after 1.5–2.5 s, restarts; window = how long before the kill the oldest lost write was acknowledged. */
async function lossWindow(setting) {
  const file = join(dir, `k${fileNo++}.mv.db`);
  const port = await freePort();
  let launcher = await startLauncher({ file, port, ...setting });
  const acked = new Map();
  let killedAt = Infinity;
  const killAfter = 1500 + Math.random() * 1000;
  await withClients(launcher.url, async (colls) => {
    const writers = loops(colls, () => performance.now() > killedAt, async (coll, id) => {
      await coll.insertOne({ _id: id, pad: 'x'.repeat(200) });
      acked.set(id, performance.now());
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, killAfter));
    killedAt = performance.now();
    await launcher.kill('SIGKILL');
    await writers;
  });
  launcher = await startLauncher({ file, port, ...setting });
  try {
    const client = await new MongoClient(launcher.url).connect();
    const stored = new Set((await client.db('bench').collection('docs').find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    await client.close();
    const lost = [...acked].filter(([id]) => !stored.has(id));
    const windowMs = lost.reduce((w, [, at]) => Math.max(w, killedAt - at), 0);
    return { acknowledged: acked.size, lost: lost.length, windowMs: Math.round(windowMs) };
  } finally { await launcher.kill('SIGTERM'); }
}

const results = Object.fromEntries(SETTINGS.map((s) => [s.name, { throughput: [], kills: [] }]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of SETTINGS) {
      const t = await throughput(s);
      results[s.name].throughput.push(t);
      console.error(`round ${round + 1} ${s.name.padEnd(15)} inserts/s ${t.insertsPerSecond}  updates/s ${t.updatesPerSecond}`);
    }
  }
  for (let k = 0; k < KILLS; k++) {
    for (const s of SETTINGS) {
      const r = await lossWindow(s);
      results[s.name].kills.push(r);
      console.error(`kill ${k + 1} ${s.name.padEnd(15)} acknowledged ${r.acknowledged}  lost ${r.lost}  window ${r.windowMs} ms`);
    }
  }
} finally { rmSync(dir, { recursive: true, force: true }); }

const mean = (xs) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
const summary = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, {
  insertsPerSecond: mean(r.throughput.map((t) => t.insertsPerSecond)),
  updatesPerSecond: mean(r.throughput.map((t) => t.updatesPerSecond)),
  maxLossWindowMs: Math.max(...r.kills.map((k) => k.windowMs)),
  lost: r.kills.map((k) => `${k.lost}/${k.acknowledged}`).join(' '),
}]));
console.log(JSON.stringify({ bench: 'mongo-durability', seconds: SECONDS, rounds: ROUNDS, clients: CLIENTS, concurrency: CONCURRENCY, summary }));

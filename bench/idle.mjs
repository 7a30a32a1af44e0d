// Idle cost of the outbox relays on the MongoDB stand-in (issue 16: "the stand-in idles under 2 % of
// a core with 50k documents per collection"). Starts its own launcher (memory backend) on a free
// port, fills every outbox collection of the four services with BENCH_DOCS documents (no pending
// events: nothing to publish, as at night), starts one relay per service over that service's
// collections the way startService does, and samples the launcher's java process CPU from /proc
// for BENCH_SECONDS. Prints % of one core and one JSON line.
//
//   npm run build && node bench/idle.mjs       no relay, this checkout's relay (sweep RELAY_SWEEP_MS, 60 s),
//                                              then commit 7a6036f's (the 250 ms poller before issue 16)
//   BENCH_RELAYS=current,<commit> node bench/idle.mjs
//   BENCH_DOCS=50000 BENCH_SECONDS=120 node bench/idle.mjs
//   MONGO_LAUNCHER_JAR=/path/to/mongo-launcher.jar node bench/idle.mjs   (when this checkout has not built the jar)
//
// The relays publish to a bus that refuses (nothing is pending, so nothing is published). Other
// periodic workers of the services (inventory's repairer, webhooks' delivery poller…) are not
// started: this measures the relay alone.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { createLogger, Metrics } from '@pitlane/core';
import * as events from '@pitlane/events';
import mongoose, { Schema } from 'mongoose';
import ts from 'typescript';

import { cpuMs, freePort, headline, ROOT } from './lib.mjs';
import { LAUNCHER_JAR } from './mongo-launcher.mjs';

const DOCS = Number(process.env.BENCH_DOCS ?? 50_000);
// 120 s: two 60 s sweeps of the current relay fall inside the window (the first, at start, does not)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
/** what runs against the filled stand-in, one after the other: `none` (no relay: the stand-in's own
 * idle), `current` (this checkout's relay) or a git commit (that commit's relay) */
const VARIANTS = (process.env.BENCH_RELAYS ?? 'none,current,7a6036f').split(',');
/** the relay's own default (30 s) unless RELAY_SWEEP_MS is set */
const SWEEP = process.env.RELAY_SWEEP_MS ? { sweepIntervalMs: Number(process.env.RELAY_SWEEP_MS) } : {};
/** each service's outbox collections (their outboxModels) */
const SERVICES = {
  bookings: ['customers', 'vehicles', 'bookings'],
  inventory: ['items', 'purchaseorders', 'notices'],
  billing: ['invoices', 'estimates', 'creditnotes'],
  webhooks: ['webhooks'],
};

/** The OutboxRelay class of this checkout, or of a git commit (its outbox.ts transpiled on the fly). */
function relayClass(variant) {
  if (variant === 'current') return events.OutboxRelay;
  const source = execFileSync('git', ['show', `${variant}:libs/events/src/outbox.ts`], { cwd: ROOT, encoding: 'utf8' });
  const dir = join(ROOT, 'reports', 'idle');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `outbox-${variant}.cjs`);
  writeFileSync(file, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
  return createRequire(import.meta.url)(file).OutboxRelay;
}

async function startLauncher(port) {
  const jar = process.env.MONGO_LAUNCHER_JAR ?? LAUNCHER_JAR; // a worktree may use another checkout's built jar
  const child = spawn('java', ['-XX:+UseSerialGC', '-Xmx2g', '-jar', jar, '--host=127.0.0.1', `--port=${port}`, '--backend=memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('listening')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => reject(new Error(`launcher exited:\n${output}`)));
  });
  return child;
}

const port = await freePort();
const launcher = await startLauncher(port);
const connection = await mongoose.createConnection(`mongodb://127.0.0.1:${port}`, { dbName: 'idle', monitorCommands: true }).asPromise();
/** database commands the relays sent while sampled, per variant */
const commands = {};
let sent = 0;
connection.getClient().on('commandStarted', () => (sent += 1));
const logger = createLogger('idle', 'silent');
const metrics = new Metrics('idle', { defaultMetrics: false });
const bus = { publish: () => Promise.reject(new Error('nothing should be published')) };
const figures = {};
try {
  const t0 = Date.now();
  const modelsOf = {};
  for (const [service, names] of Object.entries(SERVICES)) {
    modelsOf[service] = names.map((name) => {
      const schema = new Schema({ _id: String, garageId: String, n: Number, text: String }, { collection: name, versionKey: false });
      schema.plugin(events.outboxPlugin);
      return connection.model(name, schema);
    });
    for (const model of modelsOf[service]) {
      await model.init(); // its indexes first: the stand-in fails inserts that race an index build
      for (let i = 0; i < DOCS; i += 5_000) {
        const batch = Array.from({ length: Math.min(5_000, DOCS - i) }, (_, j) => ({
          _id: `${model.collection.name}-${i + j}`, garageId: `g${(i + j) % 20}`, n: i + j, text: 'x'.repeat(200), outbox: [],
        }));
        await model.collection.insertMany(batch, { ordered: false });
      }
    }
  }
  console.log(`filled ${Object.values(SERVICES).flat().length} collections × ${DOCS} documents in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await new Promise((resolve) => setTimeout(resolve, 10_000)); // the fill's garbage collected
  for (const variant of VARIANTS) {
    const relays = [];
    if (variant !== 'none') {
      const Relay = relayClass(variant);
      for (const [service, models] of Object.entries(modelsOf)) {
        const relay = new Relay({ models, bus, logger, metrics, instanceId: service, ...SWEEP });
        relay.start();
        relays.push(relay);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // each relay's first sweep (at start)
    const sentBefore = sent;
    const before = cpuMs(launcher.pid);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
    const percent = ((cpuMs(launcher.pid) - before) / (Date.now() - started)) * 100;
    for (const relay of relays) await relay.stop();
    figures[variant] = Number(percent.toFixed(2));
    commands[variant] = sent - sentBefore;
    console.log(`relays ${variant}: stand-in (java ${launcher.pid}) CPU ${percent.toFixed(2)} % of a core over ${SECONDS} s, ${commands[variant]} commands`);
  }
  headline({ bench: 'idle', docsPerCollection: DOCS, collections: Object.values(SERVICES).flat().length, seconds: SECONDS, sweepMs: SWEEP.sweepIntervalMs ?? events.DEFAULT_SWEEP_MS, standInCpuPercent: figures, commands });
} finally {
  await connection.close();
  launcher.kill();
}

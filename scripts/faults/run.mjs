// npm run test:faults — the fault suite (issue 13). Starts its own stack (MongoDB stand-in, Redis,
// RabbitMQ on their own ports and directories under .pitlane/faults, the five services from dist/),
// keeps partner load running through the gateway, injects each fault in turn (kill -9 of every
// service, RabbitMQ stopped, Redis stopped, the database frozen), lets the system settle, then checks
// the invariants through the public API per phase and prints a table. Exit 1 on any violation.
//
//   npm run test:faults                      (all faults: 4-8 min on the shared 2-core machine, by its load)
//   npm run test:faults -- --quick           (shorter phases and holds; or FAULTS_QUICK=1)
//   FAULTS_BUDGET_S=900 (hard limit of the run), FAULTS_WORKERS=3, FAULTS_GRACE_MS=5000
//   FAULTS_ONLY=bookings,redis npm run test:faults     (a subset of the faults, by name)
//
// Needs `npm run build` first (the services run from dist/), and redis-server, rabbitmq-server and
// the launcher jar as scripts/infra-up.sh installs them (local mode: root on Debian).
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT } from '../../bench/lib.mjs';
import { invoices, ledger, readGarage, reservations, serverErrorsOutsideWindows, storedOnce, webhooksDelivered } from './checks.mjs';
import { faultList } from './faults.mjs';
import { partnerClient, provisionTenant, setUpGarage, startReceiver, startWorkers, waitUntilItemsKnown } from './load.mjs';
import { COLUMNS, printReport } from './report.mjs';
import { createServices, FAULTS_DIR, infra, infraPid, infraUrls } from './stack.mjs';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: process.env.FAULTS_QUICK === '1' } } });
const quick = args.quick;
const cfg = {
  workers: Number(process.env.FAULTS_WORKERS ?? 3),
  baselineMs: quick ? 4_000 : 6_000,
  beforeMs: quick ? 1_000 : 1_500,
  afterMs: quick ? 3_000 : 5_000,
  holdMs: quick ? 4_000 : 6_000,
  /** the whole run, start-up and clean-up included, is cut off (and fails) past this */
  budgetS: Number(process.env.FAULTS_BUDGET_S ?? 900),
  graceMs: Number(process.env.FAULTS_GRACE_MS ?? 5_000),
  settleMs: quick ? 45_000 : 60_000,
  /** a crash of webhooks re-sends at most the deliveries it had claimed: WEBHOOK_MAX_IN_FLIGHT (default 200) */
  duplicateBound: 200,
  /** WEBHOOK_LEASE_MS (10 s) + WEBHOOK_POLL_INTERVAL_MS (0.5 s): a crashed worker's claim is re-sent within this */
  resendBoundMs: 10_500,
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const log = (message) => console.log(`[faults ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

let services;
let receiver;
let cleaning;
/** Stops everything the suite started, once, whoever asks (end of run, error, signal, watchdog). */
function cleanUp() {
  cleaning ??= stopEverything();
  return cleaning;
}
async function stopEverything() {
  try { process.kill(infraPid('mongo'), 'SIGCONT'); } catch { /* not running */ }
  await services?.stopAll().catch(() => services.killAllNow());
  await receiver?.close().catch(() => undefined);
  await infra('down', 'mongo', 'redis', 'rabbitmq').catch((error) => console.error(error.message));
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { log(`${signal}: cleaning up`); void cleanUp().finally(() => process.exit(130)); });
}
process.once('exit', () => services?.killAllNow());
const watchdog = setTimeout(() => {
  log(`over the budget of ${cfg.budgetS} s: cleaning up and failing`);
  void cleanUp().finally(() => process.exit(1));
}, cfg.budgetS * 1000);
watchdog.unref();

async function main() {
  for (const name of ['bookings', 'inventory', 'billing', 'webhooks', 'gateway']) {
    if (!existsSync(join(ROOT, 'services', name, 'dist', 'main.js'))) throw new Error(`services/${name}/dist is missing: run \`npm run build\` first`);
  }
  // a previous run's leftovers (an aborted run, queues full of its events) must not leak into this one
  await infra('down', 'mongo', 'redis', 'rabbitmq');
  rmSync(join(FAULTS_DIR, 'data'), { recursive: true, force: true });
  rmSync(join(FAULTS_DIR, 'logs'), { recursive: true, force: true });
  log(`starting MongoDB stand-in, Redis, RabbitMQ (${Object.values(infraUrls).join(' ')})`);
  await infra('up', 'mongo', 'redis', 'rabbitmq');

  const secret = randomBytes(32).toString('hex');
  services = await createServices({ secret, webhookKey: randomBytes(32).toString('base64') });
  const faults = faultList({ services, holdMs: cfg.holdMs, only: process.env.FAULTS_ONLY });
  const phaseNames = ['baseline', ...faults.map((f) => f.name)];
  const run = randomBytes(3).toString('hex');
  const garageIds = phaseNames.map((_, i) => `gar_faults_${run}_p${String(i).padStart(2, '0')}`);
  const key = await provisionTenant(infraUrls.MONGO_URL, garageIds);
  await Promise.all(['bookings', 'inventory', 'billing', 'webhooks'].map((name) => services.start(name)));
  await services.start('gateway');
  log('services ready');

  receiver = await startReceiver();
  const requests = [];
  const call = partnerClient(services.url('gateway'), key, requests);
  const garages = await Promise.all(garageIds.map((id) => setUpGarage(call, id, receiver)));
  await Promise.all(garages.map((garage) => waitUntilItemsKnown(call, garage)));
  log(`${garages.length} garages set up; load: ${cfg.workers} workers`);

  const journal = [];
  let phase = 0;
  const windows = [];
  const workers = startWorkers({ call, workers: cfg.workers, journal, currentPhase: () => ({ name: phaseNames[phase], garage: garages[phase] }) });
  const phaseStarts = [Date.now()];
  await sleep(cfg.baselineMs);
  for (const [index, fault] of faults.entries()) {
    phase = index + 1;
    phaseStarts.push(Date.now());
    await sleep(cfg.beforeMs);
    const window = { phase: fault.name, start: Date.now(), end: null };
    windows.push(window);
    log(`fault: ${fault.name}`);
    await fault.inject();
    window.end = Date.now();
    log(`  recovered after ${((window.end - window.start) / 1000).toFixed(1)} s`);
    await sleep(cfg.afterMs);
  }
  await workers.stop();
  log(`load stopped: ${journal.length} journeys, ${requests.length} requests; settling (≤ ${cfg.settleMs / 1000} s)`);

  const checkCall = partnerClient(services.url('gateway'), key, []);
  let allExtraCopies = [];
  const evaluate = async () => {
    allExtraCopies = [];
    const rows = [];
    for (const [index, garage] of garages.entries()) {
      const name = phaseNames[index];
      const state = await readGarage(checkCall, garage);
      const hooks = webhooksDelivered(state, receiver.receipts.filter((r) => r.garageId === garage.garageId));
      allExtraCopies.push(...hooks.extraCopies);
      const errors = serverErrorsOutsideWindows(requests.filter((r) => r.garageId === garage.garageId), windows, cfg.graceMs);
      const ownJournal = journal.filter((r) => r.phase === name);
      const steps = ownJournal.flatMap((r) => Object.values(r.steps));
      rows.push({
        phase: name,
        windowS: index === 0 ? null : (windows[index - 1].end - windows[index - 1].start) / 1000,
        acked: steps.filter((s) => s === 'acked').length,
        sent: steps.length,
        duplicates: 0, // extra copies are counted by when they arrived (below), not by garage
        inWindow: errors.inside.length,
        results: {
          'stored once': storedOnce(state, ownJournal),
          webhooks: hooks.violations,
          ledger: ledger(state),
          reservations: reservations(state),
          invoices: invoices(state),
          '5xx outside': errors.outside.map((e) => `${e.method} ${e.path} → ${e.status || e.error} at +${((e.t0 - started) / 1000).toFixed(1)} s`),
        },
      });
    }
    // an extra copy belongs to the phase during which it arrived; it must arrive within a fault
    // window + the crash re-send bound (lease + poll) + grace, and there may be at most duplicateBound
    for (const copy of allExtraCopies) {
      const index = phaseStarts.findLastIndex((t) => t <= copy.at);
      const row = rows[Math.max(0, index)];
      row.duplicates++;
      const near = windows.some((w) => copy.at >= w.start && copy.at <= w.end + cfg.resendBoundMs + cfg.graceMs);
      if (!near) row.results.webhooks.push(`extra copy of ${copy.type} ${copy.id} at +${((copy.at - started) / 1000).toFixed(1)} s, outside every fault window`);
    }
    if (allExtraCopies.length > cfg.duplicateBound) rows[0].results.webhooks.push(`${allExtraCopies.length} extra copies > bound ${cfg.duplicateBound}`);
    return rows;
  };
  const settleDeadline = Date.now() + cfg.settleMs;
  let rows;
  for (;;) {
    await sleep(2_000);
    rows = await evaluate();
    const failing = rows.flatMap((row) => COLUMNS.filter((c) => c !== '5xx outside' && row.results[c].length > 0).map((c) => `${row.phase}/${c}`));
    if (failing.length === 0 || Date.now() > settleDeadline) break;
    log(`  not settled yet: ${failing.slice(0, 6).join(', ')}${failing.length > 6 ? ' …' : ''}`);
  }
  log(`checked; fault windows: ${windows.map((w) => `${w.phase} ${((w.end - w.start) / 1000).toFixed(1)} s`).join(', ')}`);
  const durationS = Math.round((Date.now() - started) / 1000);
  const violations = printReport(rows, { durationS, duplicateBound: cfg.duplicateBound });
  return violations;
}

let exitCode = 1;
try {
  exitCode = (await main()) === 0 ? 0 : 1;
} catch (error) {
  console.error(`fault suite aborted: ${error.stack ?? error}`);
  console.error(`logs: ${join(FAULTS_DIR, 'logs')}`);
} finally {
  await cleanUp();
}
log(`done in ${Math.round((Date.now() - started) / 1000)} s, exit ${exitCode}`);
process.exit(exitCode);

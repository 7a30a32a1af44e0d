import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { MongoClient, type Collection } from 'mongodb';

import { freePort, startLauncher, tempDir, type LauncherOptions, type LauncherProcess } from './launcher-process';

/**
 * The H2-backed stand-in keeps what it acknowledged: several clients write (acknowledged inserts and
 * conditional $inc updates) while the launcher is killed, then it restarts on the same file and every
 * acknowledged write must be there, whole. Default settings commit before acknowledging (window 0).
 */

const WRITERS = 4;
const PAIR_LIMIT = 1_000_000;
const SHARED_LIMIT = 120; // low enough that the guard refuses some updates before the kill
const PAD = 'p'.repeat(300);

interface Doc { _id: string; writer?: number; seq?: number; check?: number; pad?: string; a?: number; b?: number }
interface Ledger {
  inserts: Map<string, number>; // _id -> time acknowledged
  /** per writer: times of acknowledged applied updates, and how many were sent at all */
  pairs: Array<{ applied: number[]; sent: number }>;
  shared: number[];
  killedAt: number;
}

const dir = tempDir('pitlane-durability-');
const started: LauncherProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((l) => l.kill('SIGKILL'))); // only left running when a test failed
  dir.remove();
});

async function launch(options: LauncherOptions): Promise<LauncherProcess> {
  const launcher = await startLauncher(options);
  started.push(launcher);
  return launcher;
}

function client(url: string): Promise<MongoClient> {
  // no retries: a write interrupted by the kill must fail, not be replayed on the restarted server
  return new MongoClient(url, { retryWrites: false, serverSelectionTimeoutMS: 15_000, maxPoolSize: 2 }).connect();
}

/** WRITERS clients write until `signal` is sent after `runMs`; returns what each was told. */
async function writeThenStop(options: LauncherOptions, signal: 'SIGKILL' | 'SIGTERM', runMs: number): Promise<Ledger> {
  const launcher = await launch(options);
  const clients = await Promise.all(Array.from({ length: WRITERS }, () => client(launcher.url)));
  const collections = clients.map((c) => c.db('durability').collection<Doc>('docs'));
  const docs = (w: number): Collection<Doc> => collections[w] ?? collections[0]!;
  await docs(0).insertMany([...Array.from({ length: WRITERS }, (_, w) => ({ _id: `pair-${w}`, a: 0, b: 0 })), { _id: 'shared', a: 0, b: 0 }]);
  const ledger: Ledger = { inserts: new Map(), pairs: [], shared: [], killedAt: Infinity };
  let stopped = false;
  const loop = async (step: () => Promise<void>): Promise<void> => {
    try {
      while (!stopped) await step();
    } catch {
      // the server died under this write: it was not acknowledged
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => {
    let seq = 0;
    const pair: Ledger['pairs'][number] = { applied: [], sent: 0 };
    ledger.pairs.push(pair);
    return [
      loop(async () => {
        const s = seq++;
        const id = `w${w}-${s}`;
        await docs(w).insertOne({ _id: id, writer: w, seq: s, check: w * 1_000_000 + s, pad: PAD });
        ledger.inserts.set(id, performance.now());
      }),
      loop(async () => {
        // guarded by the value this writer last saw: applied exactly once or not at all
        const expected = pair.applied.length;
        pair.sent++;
        const r = await docs(w).updateOne({ _id: `pair-${w}`, a: expected, b: expected }, { $inc: { a: 1, b: 1 } });
        if (r.modifiedCount !== 1) throw new Error(`pair-${w} was not at ${expected}`);
        pair.applied.push(performance.now());
      }),
      loop(async () => {
        const r = await docs(w).updateOne({ _id: 'shared', a: { $lt: SHARED_LIMIT } }, { $inc: { a: 1, b: 1 } });
        if (r.modifiedCount === 1) ledger.shared.push(performance.now());
      }),
    ];
  }).flat();
  // run for runMs, and on a loaded machine on until enough writes were acknowledged to mean something
  // (at most 4 × runMs): the kill must land mid-run, among acknowledged writes
  const runUntil = performance.now() + runMs;
  const giveUp = performance.now() + 4 * runMs;
  while (performance.now() < giveUp && (performance.now() < runUntil || ledger.inserts.size <= WRITERS * 5)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  ledger.killedAt = performance.now();
  const exited = launcher.kill(signal);
  stopped = true; // no new writes; those in flight fail with the connection (or complete, on SIGTERM)
  const exit = await exited;
  await Promise.all(clients.map((c) => c.close(true)));
  await Promise.all(writers);
  // a JVM that ran its shutdown hooks on SIGTERM exits with 128 + 15
  expect(exit).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 143);
  if (signal === 'SIGTERM') expect(launcher.output()).toContain('mongo-launcher: stopped, store closed');
  return ledger;
}

/** Restarts on the same file and checks the ledger: everything acknowledged more than windowMs before the stop is there, whole. */
async function expectKept(options: LauncherOptions, ledger: Ledger, windowMs: number): Promise<void> {
  const launcher = await launch(options);
  const c = await client(launcher.url);
  try {
    const docs = await c.db('durability').collection<Doc>('docs').find().toArray();
    const byId = new Map(docs.map((d) => [d._id, d]));
    const due = (at: number): boolean => windowMs === 0 || at < ledger.killedAt - windowMs;

    const missing = [...ledger.inserts].filter(([id, at]) => due(at) && !byId.has(id)).map(([id]) => id);
    expect({ acknowledged: ledger.inserts.size, missing: missing.slice(0, 10), missingCount: missing.length }).toEqual({ acknowledged: ledger.inserts.size, missing: [], missingCount: 0 });
    expect(ledger.inserts.size).toBeGreaterThan(WRITERS * 5);
    for (const d of docs.filter((x) => x._id.startsWith('w'))) {
      expect({ id: d._id, check: d.check, pad: d.pad?.length }).toEqual({ id: d._id, check: (d.writer ?? -1) * 1_000_000 + (d.seq ?? -1), pad: PAD.length });
    }

    ledger.pairs.forEach((pair, w) => {
      const stored = byId.get(`pair-${w}`);
      expect(stored?.a).toBe(stored?.b); // both fields of one update, or neither
      expect(stored?.a).toBeGreaterThanOrEqual(pair.applied.filter(due).length);
      expect(stored?.a).toBeLessThanOrEqual(Math.min(pair.sent, PAIR_LIMIT));
    });
    const shared = byId.get('shared');
    expect(shared?.a).toBe(shared?.b);
    expect(shared?.a).toBeGreaterThanOrEqual(ledger.shared.filter(due).length);
    expect(shared?.a).toBeLessThanOrEqual(SHARED_LIMIT);
  } finally {
    await c.close();
    await launcher.kill('SIGTERM');
  }
}

describe('H2 stand-in durability (launcher jar on a temporary file)', () => {
  jest.setTimeout(60_000);

  it('when the database is killed with kill -9 mid-run, then after a restart every acknowledged write is there and no update is half applied', async () => {
    const options: LauncherOptions = { file: join(dir.path, 'kill.mv.db'), port: await freePort() };
    const ledger = await writeThenStop(options, 'SIGKILL', 1_500 + Math.random() * 1_000);
    expect(ledger.shared.length).toBeGreaterThan(0);
    await expectKept(options, ledger, 0);
  });

  it('when the database gets SIGTERM mid-run, then it commits before exiting, even with commits left to MVStore\'s own schedule', async () => {
    // interval 0: no launcher commits, MVStore commits about once a second; only the shutdown hook saves the rest
    const options: LauncherOptions = { file: join(dir.path, 'term.mv.db'), port: await freePort(), durability: 'interval', commitIntervalMs: 0 };
    const ledger = await writeThenStop(options, 'SIGTERM', 1_500 + Math.random() * 1_000);
    await expectKept(options, ledger, 0);
  });
});

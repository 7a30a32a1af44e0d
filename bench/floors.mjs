// Issue 16's floors in one run: runs the benches one after the other (each as its own process, as
// `npm run bench:<name>` would after a build), takes the headline JSON line each one ends with, and
// prints every figure next to its floor, then one JSON line. Nothing is judged by this script that
// the benches did not measure themselves; a bench that fails shows as failed.
//
//   npm run bench:floors                         (builds first; about 6 minutes on a quiet machine)
//   BENCH_ONLY=gateway,webhooks npm run bench:floors
//   BENCH_IDLE=1 npm run bench:floors            (adds bench:idle, 2 × 120 s more)
//
// The figures are as noisy as the machine: read them with the load average printed before each bench.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { ROOT } from './lib.mjs';

/** bench → its headline keys with the floor each must meet (`min` at least, `max` at most, `equals`). */
const FLOORS = {
  gateway: [
    { key: 'trivialRatio', min: 0.6 },
    { key: 'dbRatio', min: 0.8 },
    { key: 'addedP50Ms', max: 1.5 },
  ],
  bookings: [
    { key: 'createsPerSec', min: 300 },
    { key: 'overbooked', equals: 0 },
  ],
  inventory: [
    { key: 'viaGatewayPerSec', min: 800 },
    { key: 'ledgerHolds', equals: true },
  ],
  billing: [
    { key: 'invoicesPerSec', min: 400 },
    { key: 'gapFree', equals: true },
  ],
  webhooks: [
    { key: 'deliveriesPerSec', min: 1500 },
    { key: 'p99Ms', max: 200 },
    { key: 'lost', equals: 0 },
  ],
  'bookings-lists': [
    { key: 'pageP50Ms', max: 40 },
    { key: 'searchP50Ms', max: 40 },
  ],
  idle: [{ key: 'standInCpuPercent.current', max: 2 }],
};

const only = process.env.BENCH_ONLY?.split(',');
const names = Object.keys(FLOORS).filter((name) => (only ? only.includes(name) : name !== 'idle' || process.env.BENCH_IDLE === '1'));

function run(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', `${name}.mjs`)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      const last = out.trim().split('\n').reverse().find((line) => line.startsWith('{"bench"'));
      resolve({ code, headline: last ? JSON.parse(last) : null });
    });
  });
}

const valueAt = (object, path) => path.split('.').reduce((value, part) => (value == null ? undefined : value[part]), object);

function verdict(floor, value) {
  if (value === undefined || value === null) return 'not measured';
  if (floor.equals !== undefined) return value === floor.equals ? 'met' : 'NOT MET';
  if (floor.min !== undefined) return value >= floor.min ? 'met' : 'NOT MET';
  return value <= floor.max ? 'met' : 'NOT MET';
}

const rows = [];
for (const name of names) {
  const load = loadavg()[0].toFixed(2);
  console.log(`\n===== bench:${name} (load average ${load}) =====`);
  const { code, headline } = await run(name);
  for (const floor of FLOORS[name]) {
    const value = valueAt(headline, floor.key);
    const target = floor.equals !== undefined ? `= ${floor.equals}` : floor.min !== undefined ? `≥ ${floor.min}` : `≤ ${floor.max}`;
    rows.push({ bench: name, figure: floor.key, value: value ?? null, floor: target, verdict: code === 0 ? verdict(floor, value) : `bench failed (exit ${code})`, load });
  }
}

console.log('\nissue 16 floors, this run:');
for (const row of rows) {
  console.log(`  ${row.bench.padEnd(15)} ${row.figure.padEnd(26)} ${String(row.value).padStart(9)}   floor ${row.floor.padEnd(8)} ${row.verdict.padEnd(14)} (load ${row.load})`);
}
console.log(JSON.stringify({ bench: 'floors', met: rows.filter((r) => r.verdict === 'met').length, of: rows.length, rows }));

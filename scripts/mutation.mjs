#!/usr/bin/env node
// `npm run test:mutation [-- <module>...]` runs StrykerJS on each module in turn (all when none is
// named); `--ci` runs the modules marked `ci` in scripts/mutation/modules.mjs; `--force` ignores the
// incremental results (Stryker reuses a static mutant's old result even when new tests would kill it,
// so scores meant for the record come from a forced run). Prints one score line per module and exits
// 1 when any module is under the break threshold (85%) or Stryker failed. `--table` runs nothing and
// prints the table of the last reports under reports/mutation/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { modules } from './mutation/modules.mjs';

const args = process.argv.slice(2);
const ci = args.includes('--ci');
const force = args.includes('--force');
const tableOnly = args.includes('--table');
const named = args.filter((arg) => !arg.startsWith('--'));
const unknown = named.filter((name) => !(name in modules));
if (unknown.length > 0) {
  console.error(`unknown module(s): ${unknown.join(', ')}; known: ${Object.keys(modules).join(', ')}`);
  process.exit(2);
}
const chosen = named.length > 0 ? named : Object.keys(modules).filter((name) => !ci || modules[name].ci);
const needsInfra = chosen.filter((name) => modules[name].infra);
const missing = ['MONGO_URL', 'REDIS_URL', 'AMQP_URL'].filter((key) => !process.env[key]);
if (!tableOnly && needsInfra.length > 0 && missing.length > 0) {
  console.error(`${needsInfra.join(', ')} run integration tests: export ${missing.join(', ')} (see docs/mutation-testing.md)`);
  process.exit(2);
}

/** Score as Stryker computes it: detected (killed + timeout) over valid mutants (detected +
 * survived + no coverage); compile and runtime errors and ignored mutants do not count. */
function summary(name) {
  const file = `reports/mutation/${name}/mutation.json`;
  if (!existsSync(file)) return null;
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  for (const result of Object.values(JSON.parse(readFileSync(file, 'utf8')).files)) {
    for (const mutant of result.mutants) if (mutant.status in count) count[mutant.status] += 1;
  }
  const detected = count.Killed + count.Timeout;
  const valid = detected + count.Survived + count.NoCoverage;
  return { ...count, score: valid === 0 ? 100 : (100 * detected) / valid };
}

const rows = [];
let failed = false;
const started = Date.now();
for (const name of chosen) {
  if (tableOnly) {
    const s = summary(name);
    if (!s || s.score < 85) failed = true;
    rows.push({ name, s, seconds: 0, ok: Boolean(s) && s.score >= 85 });
    continue;
  }
  const t0 = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...(force ? ['--force'] : [])], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_MODULE: name },
  });
  const s = summary(name);
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (run.status !== 0 || !s) failed = true;
  rows.push({ name, s, seconds, ok: run.status === 0 });
}
console.log('\nmodule            killed survived no-cov  score   time');
for (const { name, s, seconds, ok } of rows) {
  const score = s ? `${s.score.toFixed(1)}%` : 'n/a';
  const cells = s ? [s.Killed + s.Timeout, s.Survived, s.NoCoverage] : ['-', '-', '-'];
  console.log(`${name.padEnd(17)} ${String(cells[0]).padStart(6)} ${String(cells[1]).padStart(8)} ${String(cells[2]).padStart(6)} ${score.padStart(6)} ${String(seconds).padStart(5)}s${ok ? '' : '  FAIL'}`);
}
console.log(`total ${Math.round((Date.now() - started) / 1000)}s`);
process.exit(failed ? 1 : 0);

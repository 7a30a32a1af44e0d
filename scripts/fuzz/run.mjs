// npm run fuzz [-- --budget short|long] [--checks server|schema]: Schemathesis against the gateway's
// served OpenAPI document, on a stack of its own (stack.mjs), with a valid API key and the seeded
// records' ids as path parameters. Prints a summary and one JSON line; exits 1 on any failure.
//
//   --budget short   CI: 60 s of generation (≤ 3 min with the stack's start and the build check)
//   --budget long    the default: 10 min
//   --checks server  not_a_server_error only (the short budget's default, see SHORT_CHECKS)
//   --checks schema  + response_schema_conformance and status_code_conformance (the long default)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT } from '../../bench/lib.mjs';
import { startFuzzStack } from './stack.mjs';
import { summarise } from './summary.mjs';

const BUDGETS = { short: 60, long: 600 };
const CHECKS = {
  server: ['not_a_server_error'],
  schema: ['not_a_server_error', 'response_schema_conformance', 'status_code_conformance'],
};
// CI's short budget checks responses against the document too (every answer the fuzzer saw matched
// once the schemas were fixed, docs/fuzzing.md)
const SHORT_CHECKS = 'schema';

const { values } = parseArgs({
  options: {
    budget: { type: 'string', default: 'long' },
    checks: { type: 'string' },
    seed: { type: 'string' },
  },
});
if (!(values.budget in BUDGETS)) throw new Error(`--budget must be one of ${Object.keys(BUDGETS).join(', ')}`);
const checksName = values.checks ?? (values.budget === 'short' ? SHORT_CHECKS : 'schema');
if (!(checksName in CHECKS)) throw new Error(`--checks must be one of ${Object.keys(CHECKS).join(', ')}`);
const seconds = Number(process.env.FUZZ_MAX_TIME ?? BUDGETS[values.budget]);
const outDir = join(ROOT, '.pitlane', 'fuzz');
const st = join(ROOT, '.pitlane', 'venv', 'bin', 'st');
if (!existsSync(st)) throw new Error('Schemathesis is missing: run `bash scripts/fuzz/ensure-venv.sh` (npm run fuzz does)');

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const started = Date.now();
const stack = await startFuzzStack({ mongoPort: Number(process.env.FUZZ_MONGO_PORT ?? 27032), logDir: outDir });
let exitCode = 1;
try {
  const laps = Object.entries(stack.timings).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ');
  console.log(`fuzz stack up in ${((Date.now() - started) / 1000).toFixed(0)} s (${laps}): run ${stack.runId}, gateway ${stack.gatewayUrl}, garage ${stack.garageId}`);
  const configFile = join(outDir, 'schemathesis.toml');
  writeFileSync(configFile, schemathesisConfig(stack));
  const status = await run(st, [
    '--config-file', configFile,
    'run', `${stack.gatewayUrl}/api/v1/openapi.json`,
    '--checks', CHECKS[checksName].join(','),
    '--max-time', String(seconds),
    '--workers', process.env.FUZZ_WORKERS ?? '2',
    '--request-timeout', '15',
    '--suppress-health-check', 'all',
    '--report', 'ndjson,junit',
    '--report-dir', outDir,
    '--report-ndjson-path', join(outDir, 'events.ndjson'),
    '--no-color',
    // examples that failed before are replayed first; kept across runs, out of the work tree
    '--generation-database', join(ROOT, '.pitlane', 'schemathesis-examples'),
    ...(values.seed ? ['--seed', values.seed] : []),
  ]);
  const summary = summarise(readFileSync(join(outDir, 'events.ndjson'), 'utf8'));
  printSummary(summary);
  console.log(JSON.stringify({
    fuzz: 'schemathesis', budget: values.budget, seconds, checks: CHECKS[checksName],
    operations: summary.operations, requests: summary.requests,
    serverErrors: summary.byCheck.not_a_server_error ?? 0,
    schemaViolations: summary.byCheck.response_schema_conformance ?? 0,
    statusViolations: summary.byCheck.status_code_conformance ?? 0,
    failures: summary.failures.length, schemathesisExit: status,
  }));
  exitCode = status === 0 && summary.failures.length === 0 ? 0 : 1;
} finally {
  await stack.stop();
}
process.exit(exitCode);

function schemathesisConfig({ apiKey, garageId, ids, deleteIds }) {
  const toml = (values) => Object.entries(values).map(([name, value]) => `"path.${name}" = "${value}"`);
  return [
    '# written by scripts/fuzz/run.mjs for one run',
    `headers = { "X-API-Key" = "${apiKey}" }`,
    '',
    '# per-project state (crashes seen) out of the work tree, next to the example database',
    '[cache]',
    `directory = "${join(ROOT, '.pitlane', 'schemathesis-cache')}"`,
    '',
    '# the seeded garage and records: generated ids would only ever meet 404',
    '[parameters]',
    ...toml({ garageId, ...ids }),
    '',
    '[[operations]]',
    'include-method = "DELETE"',
    `parameters = { ${toml({ garageId, ...ids, ...deleteIds }).join(', ')} }`,
    '',
  ].join('\n');
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

function printSummary(summary) {
  console.log(`\nfuzz summary: ${summary.operations} operations, ${summary.requests} requests, ${summary.failures.length} distinct failures`);
  for (const [check, count] of Object.entries(summary.byCheck)) console.log(`  ${check.padEnd(30)} ${count}`);
  for (const failure of summary.failures.slice(0, 60)) {
    console.log(`  - ${failure.check}: ${failure.operation} → ${failure.status}${failure.where ? ` at ${failure.where}` : ''}: ${failure.what}`);
  }
  console.log(`reports and service logs in .pitlane/fuzz/`);
}

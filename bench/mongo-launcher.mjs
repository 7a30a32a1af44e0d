// Starts infra/mongo-launcher's jar as a child process (H2 backend on a given file, or the memory
// backend), for the durability benchmark and the fuzz stack (scripts/fuzz). The jest tests have the TypeScript twin in libs/mongo/test/launcher-process.ts.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './lib.mjs';

export const LAUNCHER_JAR = join(ROOT, 'infra', 'mongo-launcher', 'target', 'mongo-launcher.jar');

/** Resolves once the launcher prints its "listening" line; `exited` resolves with the exit code or signal. */
export function startLauncher({ file, port, durability = 'ack', commitIntervalMs = 100, backend = 'h2' }) {
  if (!existsSync(LAUNCHER_JAR)) throw new Error(`${LAUNCHER_JAR} is missing: run \`npm run infra:up\` (it builds the jar with Maven)`);
  const storage = backend === 'memory' ? ['--backend=memory']
    : ['--backend=h2', `--file=${file}`, `--durability=${durability}`, `--commit-interval-ms=${commitIntervalMs}`];
  const child = spawn('java', ['-XX:+UseSerialGC', '-Xms64m', '-Xmx1g', '-jar', LAUNCHER_JAR, '--host=127.0.0.1', `--port=${port}`, ...storage],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`launcher not listening after 30 s:\n${output}`)); }, 30_000);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('mongo-launcher: listening')) {
        clearTimeout(timer);
        resolve({ url: `mongodb://127.0.0.1:${port}`, pid: child.pid, exited, output: () => output,
          kill: (signal) => { child.kill(signal); return exited; } });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => { clearTimeout(timer); reject(new Error(`launcher exited during startup:\n${output}`)); });
  });
}

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LAUNCHER_DIR = join(__dirname, '..', '..', '..', 'infra', 'mongo-launcher');
/** The jar scripts/infra-up.sh builds (mvn package in infra/mongo-launcher). */
export const LAUNCHER_JAR = join(LAUNCHER_DIR, 'target', 'mongo-launcher.jar');
const BUILD = '`npm run infra:up` (builds it when it starts the local launcher) or `mvn -B -q -f infra/mongo-launcher/pom.xml -DskipTests package`';

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

/** A missing or stale jar (sources newer than it, as after a merge) would test yesterday's launcher. */
function checkJar(): void {
  if (!existsSync(LAUNCHER_JAR)) throw new Error(`${LAUNCHER_JAR} is missing: run ${BUILD}`);
  const sources = Math.max(newestSource(join(LAUNCHER_DIR, 'src')), newestSource(join(LAUNCHER_DIR, 'pom.xml')));
  if (sources > statSync(LAUNCHER_JAR).mtimeMs) throw new Error(`${LAUNCHER_JAR} is older than infra/mongo-launcher/src: rebuild it with ${BUILD}`);
}

export interface LauncherOptions {
  file: string;
  port: number;
  durability?: 'ack' | 'interval';
  commitIntervalMs?: number;
}

/** One mongo-launcher JVM on an H2 file, started by a test; `kill` resolves once the process is gone. */
export interface LauncherProcess {
  url: string;
  pid: number;
  output(): string;
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<NodeJS.Signals | number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A temporary directory for H2 files; `remove()` deletes it. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts the launcher jar (the same JVM options infra-up uses) and resolves once it listens. */
export function startLauncher(options: LauncherOptions): Promise<LauncherProcess> {
  checkJar();
  const { file, port, durability = 'ack', commitIntervalMs = 100 } = options;
  const child = spawn(
    'java',
    ['-XX:+UseSerialGC', '-Xms64m', '-Xmx1g', '-jar', LAUNCHER_JAR, '--host=127.0.0.1', `--port=${port}`, '--backend=h2',
      `--file=${file}`, `--durability=${durability}`, `--commit-interval-ms=${commitIntervalMs}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mongo-launcher not listening after 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('mongo-launcher: listening')) {
        clearTimeout(timer);
        resolve({
          url: `mongodb://127.0.0.1:${port}`,
          pid: child.pid ?? -1,
          output: () => output,
          kill: (signal) => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`mongo-launcher exited during startup:\n${output}`));
    });
  });
}

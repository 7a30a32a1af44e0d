// Helpers shared by the benchmark scripts: free ports, child services, readiness, autocannon runs.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const infra = {
  MONGO_URL: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  AMQP_URL: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};

export const BENCH_SECRET = 'bench-internal-secret-0123456789abcdefghij';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node services/<name>/dist/main.js` (or another `main` file) with the given env; resolves once /readyz answers 200.
 * `logFd`: a file descriptor that gets the service's stdout and stderr (its pino lines), else stderr only. */
export async function startService(name, env, nodeArgs = [], logFd = undefined, main = join(ROOT, 'services', name, 'dist', 'main.js')) {
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: { ...process.env, ...infra, INTERNAL_JWT_SECRET: BENCH_SECRET, LOG_LEVEL: 'warn', ...env },
    stdio: logFd === undefined ? ['ignore', 'ignore', 'inherit'] : ['ignore', logFd, logFd],
  });
  // a bench that fails half-way leaves no service behind
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid,
    stop: () => new Promise((resolve) => {
      process.off('exit', orphan);
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** One autocannon run; returns req/s and latency percentiles (ms). */
export async function load({ url, headers = {}, connections = 50, duration = 10, method = 'GET', body, requests, overallRate }) {
  const result = await autocannon({ url, headers, connections, duration, method, body, requests, pipelining: 1, ...(overallRate ? { overallRate } : {}) });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

export function table(rows) {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'];
  const lines = rows.map((r) => [r.name, r.requestsPerSecond.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), r.non2xx, r.errors]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const format = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}

/** utime+stime of a process in ms, from /proc (null if it is gone or /proc is not there). */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** The shared infrastructure's processes: the Java MongoDB stand-in launcher (the one on MONGO_URL's
 * port when several run on the machine), redis-server, RabbitMQ. */
export function infraProcesses() {
  const found = {};
  const mongoPort = new URL(infra.MONGO_URL).port || '27017';
  const redisPort = new URL(infra.REDIS_URL).port || '6379';
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const ownMongo = !/--port=\d+/.test(cmd) || cmd.includes(`--port=${mongoPort} `);
      const ownRedis = !/:\d+\b/.test(cmd) || cmd.includes(`:${redisPort} `) || cmd.endsWith(`:${redisPort}`);
      const name = /\bjava\b/.test(cmd) && /mongo/i.test(cmd) && ownMongo ? 'mongo (java)' : /redis-server/.test(cmd) && ownRedis ? 'redis-server' : /beam\.smp/.test(cmd) ? 'rabbitmq (beam.smp)' : null;
      if (name) found[`${name} ${pid}`] = Number(pid);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** CPU per process over a run: `const split = cpuSplit({ bench: process.pid, ... })`, run, `split.end()`
 * returns { name: { cpuMs, cores } } (cores = CPU time / wall time). */
export function cpuSplit(pids) {
  const all = { ...pids, ...infraProcesses() };
  const before = Object.fromEntries(Object.entries(all).map(([name, pid]) => [name, cpuMs(pid)]));
  const started = Date.now();
  return {
    end() {
      const wall = Date.now() - started;
      const result = {};
      for (const [name, pid] of Object.entries(all)) {
        const after = cpuMs(pid);
        if (after === null || before[name] === null) continue;
        result[name] = { cpuMs: Math.round(after - before[name]), cores: Number(((after - before[name]) / wall).toFixed(2)) };
      }
      return result;
    },
  };
}

export function printCpuSplit(split) {
  console.log('  CPU per process over the run (utime+stime from /proc):');
  for (const [name, { cpuMs: ms, cores }] of Object.entries(split)) console.log(`    ${name.padEnd(32)} ${String(ms).padStart(7)} ms   ${cores.toFixed(2)} cores`);
}

/**
 * Evenly paced load: request i starts at start + i × (1000 / rate) ms, whatever earlier requests are
 * doing (an open model: no bursts at second boundaries, no slowing down when the server is slow).
 * `send(i)` performs request i and resolves to its HTTP status. Returns latencies and the achieved rate.
 */
export async function paced({ rate, durationS, send }) {
  const interval = 1000 / rate;
  const total = Math.round(rate * durationS);
  const latencies = [];
  const statuses = {};
  let errors = 0;
  const inFlight = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inFlight.push(
      send(i).then(
        (status) => {
          latencies.push(performance.now() - sent);
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
        (error) => {
          errors++;
          if (errors <= 3) console.error(`  paced request failed: ${error?.code ?? ''} ${error?.message ?? error}`);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requestsPerSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), statuses, errors, total, elapsedS: elapsed, latencies };
}

/** The last line of every bench: its headline figures as one JSON object. */
export function headline(figures) {
  console.log(JSON.stringify(figures));
}

// The fault suite's own stack: MongoDB stand-in (memory), Redis and a RabbitMQ node started by
// scripts/infra-up.sh on ports nobody else uses, with their pid files, data and logs under
// .pitlane/faults (PITLANE_INFRA_DIR), and the five services from dist/ as child processes that the
// suite can kill -9 and restart. The shared servers (5672, 6379, 27017) are never touched: every
// command here names the suite's own ports.
import { execFile, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort, ROOT } from '../../bench/lib.mjs';

const run = promisify(execFile);
export const FAULTS_DIR = join(ROOT, '.pitlane', 'faults');
const LOGS = join(FAULTS_DIR, 'logs');
export const SERVICE_NAMES = ['bookings', 'inventory', 'billing', 'webhooks', 'gateway'];

export const ports = {
  mongo: Number(process.env.FAULTS_MONGO_PORT ?? 27031),
  redis: Number(process.env.FAULTS_REDIS_PORT ?? 6391),
  rabbitmq: Number(process.env.FAULTS_RABBITMQ_PORT ?? 5691),
};

export const infraUrls = {
  MONGO_URL: `mongodb://127.0.0.1:${ports.mongo}`,
  REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
  AMQP_URL: `amqp://guest:guest@127.0.0.1:${ports.rabbitmq}`,
};

const infraEnv = {
  ...process.env,
  ...infraUrls,
  PITLANE_INFRA_DIR: FAULTS_DIR,
  PITLANE_INFRA_MODE: 'local', // never docker compose: its container names are the shared ones
  PITLANE_INFRA_NO_MAILPIT: '1',
  PITLANE_MONGO_BACKEND: 'memory',
  PITLANE_MONGO_JAVA_OPTS: '-XX:+UseSerialGC -Xms64m -Xmx1g',
  PITLANE_RABBITMQ_NODENAME: process.env.FAULTS_RABBITMQ_NODENAME ?? 'faults@localhost',
  PITLANE_INFRA_TIMEOUT: '120',
};

/** `scripts/infra-up.sh <what>` / `infra-down.sh <what>` against the suite's own ports. */
export async function infra(action, ...what) {
  const script = join(ROOT, 'scripts', action === 'up' ? 'infra-up.sh' : 'infra-down.sh');
  try {
    await run('bash', [script, ...what], { env: infraEnv, maxBuffer: 1 << 22 });
  } catch (error) {
    throw new Error(`infra-${action} ${what.join(' ')} failed:\n${error.stderr ?? error.message}`);
  }
}

/** The pid of an infrastructure process infra-up started for the suite (for SIGSTOP/SIGCONT). */
export function infraPid(service) {
  return Number(readFileSync(join(FAULTS_DIR, 'run', `${service}-${ports[service]}.pid`), 'utf8').trim());
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The five services as child processes; `kill9(name)` and `start(name)` for the faults. */
export async function createServices({ secret, webhookKey, extraEnv = {} }) {
  mkdirSync(LOGS, { recursive: true });
  const servicePorts = {};
  for (const name of SERVICE_NAMES) servicePorts[name] = await freePort();
  const url = (name) => `http://127.0.0.1:${servicePorts[name]}`;
  const common = {
    ...infraUrls,
    INTERNAL_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DRAIN_DELAY_MS: '0',
  };
  const env = {
    bookings: {},
    inventory: { RECONCILE_INTERVAL_MS: '5000', REPAIR_INTERVAL_MS: '2000' },
    billing: {},
    webhooks: {
      WEBHOOK_SECRETS_KEYS: `faults1:${webhookKey}`,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      // a receiver that is always up: retries only follow the suite's faults, so keep them short
      WEBHOOK_RETRY_SCHEDULE_MS: '1000,2000,4000,8000,8000,8000',
      WEBHOOK_POLL_INTERVAL_MS: '500',
    },
    gateway: {
      BOOKINGS_URL: url('bookings'), INVENTORY_URL: url('inventory'), BILLING_URL: url('billing'), WEBHOOKS_URL: url('webhooks'),
      RATE_LIMIT_ENTERPRISE: '1000000', // the suite measures faults, not refusals
      METRICS_PORT: '0', // never the default 9464 a developer's stack may hold
    },
  };
  const children = new Map();

  async function start(name) {
    const log = openSync(join(LOGS, `${name}.log`), 'a');
    const child = spawn(process.execPath, [join(ROOT, 'services', name, 'dist', 'main.js')], {
      env: { ...process.env, ...common, ...env[name], ...extraEnv[name], PORT: String(servicePorts[name]) },
      stdio: ['ignore', log, log],
    });
    closeSync(log); // the child has its own copy
    children.set(name, child);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited during start-up; see ${join(LOGS, `${name}.log`)}`);
      try {
        if ((await fetch(`${url(name)}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} not ready after 60 s; see ${join(LOGS, `${name}.log`)}`);
      await sleep(200);
    }
  }

  function kill9(name) {
    const child = children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    return exited;
  }

  async function stopAll() {
    await Promise.all([...children.entries()].map(async ([, child]) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }));
  }

  /** synchronous last resort (process 'exit'): SIGKILL whatever is still running */
  function killAllNow() {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  return { url, start, kill9, stopAll, killAllNow, pid: (name) => children.get(name)?.pid };
}

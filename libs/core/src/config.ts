import { isIP } from 'node:net';

import { z } from 'zod';

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Thrown when the environment does not satisfy a service's config schema. The message lists every
 * offending variable so an operator can fix them all in one go. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly issues: { variable: string; message: string }[],
  ) {
    super(
      `Invalid configuration for ${service}:\n` +
        issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once. Nothing else in a service reads process.env. */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      service,
      result.error.issues.map((issue) => ({
        variable: issue.path.join('.') || '(root)',
        message: env[String(issue.path[0])] === undefined && issue.code === 'invalid_type' ? 'is required' : issue.message,
      })),
    );
  }
  return result.data;
}

/** Building blocks shared by the services' config schemas. */
export const configFields = {
  port: (defaultPort: number) => z.coerce.number().int().min(0).max(65535).default(defaultPort),
  url: (protocols: string[], fallback: string) =>
    z
      .string()
      .default(fallback)
      .refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
        message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
      }),
  secret: () =>
    z.string({ message: 'is required' }).min(32, 'must be at least 32 characters (use a long random value)'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  milliseconds: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  /** express `trust proxy`: empty → none, `2` → that many hops, `10.0.0.0/8,127.0.0.1` → those addresses */
  trustProxy: () =>
    z
      .string()
      .default('')
      .transform((value, ctx): number | string[] | false => {
        const trimmed = value.trim();
        if (trimmed === '' || trimmed === 'false' || trimmed === '0') return false;
        if (/^\d+$/.test(trimmed)) return Number(trimmed);
        const entries = trimmed.split(',').map((entry) => entry.trim());
        const bad = entries.filter((entry) => !isCidr(entry));
        if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `must be a hop count or comma-separated IPs/CIDRs (bad: ${bad.join(', ')})` });
        return entries;
      }),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
};

/** Variables every service reads: where it listens, its storage and broker, and the internal auth secret. */
export function baseServiceConfig(defaultPort: number, defaultDatabase: string) {
  return z.object({
    HOST: z.string().default('0.0.0.0'),
    PORT: configFields.port(defaultPort),
    LOG_LEVEL: configFields.logLevel(),
    MONGO_URL: configFields.url(['mongodb', 'mongodb+srv'], 'mongodb://127.0.0.1:27017'),
    MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default(defaultDatabase),
    AMQP_URL: configFields.url(['amqp', 'amqps'], 'amqp://guest:guest@127.0.0.1:5672'),
    EVENTS_EXCHANGE: z.string().min(1).default('pitlane.events'),
    INTERNAL_JWT_SECRET: configFields.secret(),
    SHUTDOWN_TIMEOUT_MS: configFields.milliseconds(10_000),
    BODY_LIMIT: z.string().default('1mb'),
    ...scalingConfigFields(),
    /** deadline of every database call (driver timeouts and maxTimeMS): past it, a 503 */
    MONGO_OP_TIMEOUT_MS: configFields.milliseconds(5_000),
    /** internal port for /metrics; unset: /metrics stays on PORT (services are not public). No
     * default (zod would apply one even under optional()): 0 asks for any free port, as in tests */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  });
}

/**
 * How an instance takes part in a scaled-out deployment (see docs/scaling.md). Defaults keep one
 * process doing everything against a single broker node and a single database, as in development.
 */
export function scalingConfigFields() {
  const optionalBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional();
  return {
    /** api: HTTP only; worker: consumers, outbox relay, background jobs (+ /healthz, /readyz, /metrics); all: both */
    PITLANE_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
    /** every RabbitMQ node, comma-separated; else AMQP_URL (which may be a list too) */
    AMQP_URLS: z.string().optional(),
    /** quorum in production (replicated); classic for a single development broker */
    EVENTS_QUEUE_TYPE: z.enum(['classic', 'quorum']).default('classic'),
    /** quorum queues: redeliveries before the broker dead-letters a message */
    EVENTS_DELIVERY_LIMIT: z.coerce.number().int().positive().default(20),
    /** unacknowledged events per worker instance */
    EVENTS_PREFETCH: z.coerce.number().int().min(1).max(1000).default(10),
    /** documents the outbox relay claims per collection per pass */
    RELAY_BATCH: z.coerce.number().int().min(1).max(5000).default(100),
    /** the outbox relay's safety sweep: writes hand their events to the relay at once; the sweep
     * finds what no hand-off reached (a crash, an api-only process's writes) this often */
    RELAY_SWEEP_MS: z.coerce.number().int().min(20).max(300_000).default(60_000),
    /** the sweep of a `worker`-role process: api processes (PITLANE_ROLE=api) run no relay, so their
     * writes' events reach the broker only through the workers' sweep — it must stay short */
    RELAY_WORKER_SWEEP_MS: z.coerce.number().int().min(20).max(300_000).default(500),
    /** after SIGTERM, /readyz answers 503 this long before HTTP stops accepting, so load balancers
     * stop sending traffic first */
    DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
    /** MongoDB write concern: majority for money and stock (a failover cannot roll the write back) */
    MONGO_WRITE_CONCERN: z.union([z.literal('majority'), z.coerce.number().int().min(0).max(50)]).optional(),
    MONGO_READ_PREFERENCE: z
      .enum(['primary', 'primaryPreferred', 'secondary', 'secondaryPreferred', 'nearest'])
      .optional(),
    MONGO_RETRY_WRITES: optionalBoolean,
    MONGO_MAX_POOL_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  };
}

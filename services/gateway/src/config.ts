import { configFields, loadConfig } from '@pitlane/core';
import { z } from 'zod';

export const configSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: configFields.port(8080),
  LOG_LEVEL: configFields.logLevel(),
  MONGO_URL: configFields.url(['mongodb', 'mongodb+srv'], 'mongodb://127.0.0.1:27017'),
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default('pitlane_gateway'),
  REDIS_URL: configFields.url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().default('pitlane:'),
  INTERNAL_JWT_SECRET: configFields.secret(),
  INTERNAL_JWT_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  BOOKINGS_URL: configFields.url(['http', 'https'], 'http://127.0.0.1:3001'),
  INVENTORY_URL: configFields.url(['http', 'https'], 'http://127.0.0.1:3002'),
  BILLING_URL: configFields.url(['http', 'https'], 'http://127.0.0.1:3003'),
  WEBHOOKS_URL: configFields.url(['http', 'https'], 'http://127.0.0.1:3004'),
  UPSTREAM_TIMEOUT_MS: configFields.milliseconds(15_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** multipart uploads to `/bookings/{bid}/attachments` (the bookings service enforces its own limit too) */
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().positive().default(10 * 1_048_576),
  SHUTDOWN_TIMEOUT_MS: configFields.milliseconds(10_000),
  /** in-process key cache lifetime; revocations are also broadcast, so this only bounds a missed broadcast */
  KEY_CACHE_TTL_MS: configFields.milliseconds(30_000),
  RATE_LIMIT_STANDARD: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_PREMIUM: z.coerce.number().int().positive().default(300),
  RATE_LIMIT_ENTERPRISE: z.coerce.number().int().positive().default(1000),
  /** the public (keyless) estimate endpoints, per client IP */
  RATE_LIMIT_PUBLIC: z.coerce.number().int().positive().default(30),
  /** failed authentications per client IP per minute before 429 (slows key guessing) */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().positive().default(20),
  /** which X-Forwarded-For hops to believe: empty (the socket address), a hop count, or CIDRs */
  TRUST_PROXY: configFields.trustProxy(),
  /** internal port for /metrics (never on PORT); unset: 9464, or a free port when PORT is 0 (tests) */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** deadline of every gateway database call; past it an uncached key is a 503 (cached keys still serve) */
  MONGO_OP_TIMEOUT_MS: configFields.milliseconds(3_000),
  /** how often an instance renews its presence in Redis (the insurance limiter divides budgets by live instances) */
  INSTANCE_HEARTBEAT_MS: configFields.milliseconds(5_000),
  /** audit lines are written (and folded into the console's usage rollups) per batch: each batch costs the
   * database a fixed ~9 writes whatever its size, so few large batches are far cheaper than many small ones (issue 16) */
  AUDIT_BATCH_SIZE: z.coerce.number().int().positive().default(2_000),
  AUDIT_FLUSH_MS: configFields.milliseconds(5_000),
  AUDIT_BUFFER_MAX: z.coerce.number().int().positive().default(20_000),
  /** console (issue 10): its own JWT secret, never the internal one; unset = a random one per process (dev only) */
  CONSOLE_JWT_SECRET: configFields.secret().optional(),
  CONSOLE_ACCESS_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(900),
  CONSOLE_REFRESH_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  /** failed logins allowed per 15 minutes before the account / the address is locked out */
  CONSOLE_LOGIN_FAILS_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  CONSOLE_LOGIN_FAILS_PER_IP: z.coerce.number().int().positive().default(30),
  /** raw audit records are deleted after this many days; hourly usage rollups are kept for ROLLUP_RETENTION_DAYS */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  ROLLUP_RETENTION_DAYS: z.coerce.number().int().positive().default(400),
});

export type Config = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('gateway', configSchema, env);
}

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
  SHUTDOWN_TIMEOUT_MS: configFields.milliseconds(10_000),
});

export type Config = z.infer<typeof configSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('gateway', configSchema, env);
}

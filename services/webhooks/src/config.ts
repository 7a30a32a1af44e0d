import { baseServiceConfig, configFields, loadConfig } from '@pitlane/core';
import { z } from 'zod';

import type { DisablePolicy } from './domain/auto-disable';
import type { RetryPolicy } from './domain/retry-schedule';
import { parseSecretKeys, type SecretKey } from './domain/secret-box';

/** Comma-separated delays in milliseconds, e.g. "5000,300000". */
const delayList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const delays = value.split(',').map((part) => Number(part.trim()));
      if (delays.some((delay) => !Number.isInteger(delay) || delay <= 0)) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of positive integers (ms)' });
        return z.NEVER;
      }
      return delays;
    });

const DAY = 24 * 60 * 60 * 1000;

export const configSchema = baseServiceConfig(3004, 'pitlane_webhooks').extend({
  /** Svix's schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (then the delivery is failed) */
  WEBHOOK_RETRY_SCHEDULE_MS: delayList('5000,300000,1800000,7200000,18000000,36000000,36000000'),
  /** each scheduled delay is multiplied by a random factor in [1 - jitter, 1 + jitter] */
  WEBHOOK_RETRY_JITTER: z.coerce.number().min(0).max(0.5).default(0.2),
  /** a Retry-After longer than this is capped (a receiver cannot park deliveries for days) */
  WEBHOOK_MAX_RETRY_AFTER_MS: configFields.milliseconds(60 * 60 * 1000),
  WEBHOOK_TIMEOUT_MS: configFields.milliseconds(10_000),
  /**
   * How long a claim lasts without a heartbeat: after a crash (kill -9) another worker takes the
   * dead worker's deliveries at most this long (+ one poll) later. Short on purpose; attempts
   * longer than this (WEBHOOK_TIMEOUT_MS may be longer) are kept by the heartbeat.
   */
  WEBHOOK_LEASE_MS: configFields.milliseconds(10_000),
  /** how often a worker extends the leases of every delivery it holds (queued or in flight) */
  WEBHOOK_LEASE_HEARTBEAT_MS: configFields.milliseconds(3_000),
  WEBHOOK_POLL_INTERVAL_MS: configFields.milliseconds(1_000),
  /**
   * How long an instance trusts its last read of an endpoint's send state (status, epoch) and of a
   * garage's active subscriptions: a disable, delete, create or rotation made through another
   * instance takes effect here at most this much later (through this instance: at once). 0 = no cache.
   */
  WEBHOOK_STATE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  WEBHOOK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(5000).default(200),
  /** deliveries a worker holds in memory per endpoint before leaving the rest to the poller */
  WEBHOOK_ENDPOINT_QUEUE_LIMIT: z.coerce.number().int().min(1).default(500),
  WEBHOOK_DISABLE_AFTER_MS: configFields.milliseconds(5 * DAY),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(100),
  WEBHOOK_SECRET_ROTATION_OVERLAP_MS: configFields.milliseconds(DAY),
  /** finished deliveries (and their attempts) are deleted this long after their last change */
  WEBHOOK_RETENTION_MS: configFields.milliseconds(30 * DAY),
  WEBHOOK_PURGE_INTERVAL_MS: configFields.milliseconds(60 * 60 * 1000),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: configFields.boolean(false),
  WEBHOOK_REQUIRE_HTTPS: configFields.boolean(false),
  /**
   * Signing secrets are always stored encrypted (AES-256-GCM): `id:base64,id:base64`, each key
   * base64 of 32 bytes, the first one seals, all of them open (rotation). Required in every
   * environment: a secret sealed with a key that later goes missing cannot sign any more.
   */
  WEBHOOK_SECRETS_KEYS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const keys = parseSecretKeys(value);
      if (typeof keys === 'string') {
        ctx.addIssue({ code: 'custom', message: keys });
        return z.NEVER;
      }
      return keys;
    }),
  /** the single unnamed key of earlier releases (base64 of 32 bytes); opens and, alone, seals as id "k0" */
  WEBHOOK_SECRETS_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be base64 of 32 bytes')
    .optional(),
}).superRefine((config, ctx) => {
  // a live worker must not lose a claim to one slow or failed heartbeat write: the lease outlasts
  // two missed heartbeats, else a second worker could send an attempt that is still in flight
  if (config.WEBHOOK_LEASE_MS < config.WEBHOOK_LEASE_HEARTBEAT_MS * 3) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_LEASE_MS'], message: 'must be at least 3 × WEBHOOK_LEASE_HEARTBEAT_MS' });
  }
  if (!config.WEBHOOK_SECRETS_KEYS && !config.WEBHOOK_SECRETS_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_SECRETS_KEYS'],
      message: 'is required: "id:base64 of 32 bytes" (newest first), e.g. k1:$(openssl rand -base64 32)',
    });
  }
  if (config.WEBHOOK_SECRETS_KEY && config.WEBHOOK_SECRETS_KEYS?.some((key) => key.id === 'k0')) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRETS_KEYS'], message: 'key id "k0" is taken by WEBHOOK_SECRETS_KEY' });
  }
});

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('webhooks', configSchema, env);
}

/** How long a claim lasts between heartbeats (see WEBHOOK_LEASE_MS). */
export function leaseMsOf(config: Config): number {
  return config.WEBHOOK_LEASE_MS;
}

/** After a crash, a delivery in flight is sent again by another worker at most this long later:
 * its lease runs out (the last heartbeat was at most at the crash) and the next poll claims it. */
export function crashResendBoundMsOf(config: Config): number {
  return config.WEBHOOK_LEASE_MS + config.WEBHOOK_POLL_INTERVAL_MS;
}

export function retryPolicyOf(config: Config): RetryPolicy {
  return {
    scheduleMs: config.WEBHOOK_RETRY_SCHEDULE_MS,
    jitter: config.WEBHOOK_RETRY_JITTER,
    maxRetryAfterMs: config.WEBHOOK_MAX_RETRY_AFTER_MS,
  };
}

export function disablePolicyOf(config: Config): DisablePolicy {
  return { afterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES, afterMs: config.WEBHOOK_DISABLE_AFTER_MS };
}

/** The keys of the secret box, sealing key first; the unnamed key of earlier releases comes last. */
export function secretKeysOf(config: Config): SecretKey[] {
  const legacy = config.WEBHOOK_SECRETS_KEY ? [{ id: 'k0', key: Buffer.from(config.WEBHOOK_SECRETS_KEY, 'base64') }] : [];
  return [...(config.WEBHOOK_SECRETS_KEYS ?? []), ...legacy];
}

import { baseServiceConfig, loadConfig } from '@pitlane/core';
import { z } from 'zod';

export const configSchema = baseServiceConfig(3003, 'pitlane_billing').extend({
  /** where partners' customers reach the gateway: approval links are built on it */
  PUBLIC_BASE_URL: z.url().default('http://localhost:8080'),
  /** how long an estimate's approval link works when the send request does not say */
  ESTIMATE_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** where estimates are e-mailed through (Mailpit from `npm run infra:up` locally) */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('Pitlane <estimates@pitlane.local>'),
  /** how often queued e-mails (SMTP was down) are tried again */
  MAIL_RETRY_MS: z.coerce.number().int().min(50).default(5_000),
  /** how often the sweep rolls forward credit notes whose writer died between reserving and numbering */
  CREDIT_NOTE_SWEEP_MS: z.coerce.number().int().min(50).default(10_000),
  /** unacknowledged events per instance: a burst of one garage's completions waits here for its
   * numbers, and the more wait, the larger the group commit that numbers them (data-access/numbering.ts) */
  EVENTS_PREFETCH: z.coerce.number().int().min(1).max(1000).default(100),
});

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('billing', configSchema, env);
}

import { baseServiceConfig, loadConfig } from '@pitlane/core';
import { z } from 'zod';

export const configSchema = baseServiceConfig(3003, 'pitlane_billing').extend({
  /** where partners' customers reach the gateway: approval links are built on it */
  PUBLIC_BASE_URL: z.url().default('http://localhost:8080'),
  /** how long an estimate's approval link works when the send request does not say */
  ESTIMATE_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** how often the sweep rolls forward credit notes whose writer died between reserving and numbering */
  CREDIT_NOTE_SWEEP_MS: z.coerce.number().int().min(50).default(10_000),
});

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('billing', configSchema, env);
}

import { baseServiceConfig, configFields, loadConfig } from '@pitlane/core';
import { z } from 'zod';

export const configSchema = baseServiceConfig(3001, 'pitlane_bookings').extend({
  /** largest accepted attachment; above it the upload is a 413 */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** a capacity claim or vehicle lock whose booking is missing or no longer holds it is released
   * only after this long, so a create or reschedule in flight is never robbed of its claim */
  CLAIM_GRACE_MS: configFields.milliseconds(60_000),
  /** how often the reconciler sweeps claims and locks left behind by a crash */
  RECONCILE_INTERVAL_MS: configFields.milliseconds(60_000),
});

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('bookings', configSchema, env);
}

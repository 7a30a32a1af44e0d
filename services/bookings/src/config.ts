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
  /** how lists read their default (cursor) order, newest first: `index` sorts by createdAt and id,
   * which MongoDB serves from the { garageId, createdAt, _id } indexes; `natural` reads the store's
   * insertion order backwards instead — only for the mongo-java-server stand-in with
   * `--backend=memory`, which uses no secondary index and would collect and sort every match
   * (libs/core http/list-page.ts). Never with the launcher's H2 backend: its natural order is _id order. */
  LIST_ORDER: z.enum(['index', 'natural']).default('index'),
});

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('bookings', configSchema, env);
}

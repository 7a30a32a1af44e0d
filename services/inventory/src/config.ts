import { baseServiceConfig, configFields, loadConfig } from '@pitlane/core';

export const configSchema = baseServiceConfig(3002, 'pitlane_inventory').extend({
  /** how often leftovers of a crash (unmaterialised movements, unapplied receipts) are repaired */
  REPAIR_INTERVAL_MS: configFields.milliseconds(5_000),
  /** how often reservations of bookings that already ended are looked for and settled */
  RECONCILE_INTERVAL_MS: configFields.milliseconds(30_000),
});

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('inventory', configSchema, env);
}

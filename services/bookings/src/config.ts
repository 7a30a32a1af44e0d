import { baseServiceConfig, loadConfig } from '@pitlane/core';

export const configSchema = baseServiceConfig(3001, 'pitlane_bookings');

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('bookings', configSchema, env);
}

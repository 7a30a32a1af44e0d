import { baseServiceConfig, loadConfig } from '@pitlane/core';

export const configSchema = baseServiceConfig(3002, 'pitlane_inventory');

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('inventory', configSchema, env);
}

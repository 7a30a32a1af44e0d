import { baseServiceConfig, loadConfig } from '@pitlane/core';

export const configSchema = baseServiceConfig(3003, 'pitlane_billing');

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('billing', configSchema, env);
}

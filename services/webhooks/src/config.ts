import { baseServiceConfig, loadConfig } from '@pitlane/core';

export const configSchema = baseServiceConfig(3004, 'pitlane_webhooks');

export type Config = ReturnType<typeof configSchema.parse>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig('webhooks', configSchema, env);
}

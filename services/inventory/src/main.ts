import { createLogger, onShutdown } from '@pitlane/core';

import { readConfig } from './config';
import { startInventory } from './service';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('inventory', config.LOG_LEVEL);
  const service = await startInventory(config, { logger });
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [{ name: 'service', run: () => service.close() }]);
}

main().catch((error: unknown) => {
  process.stderr.write(`inventory failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

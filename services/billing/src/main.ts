import { createLogger, onShutdown } from '@pitlane/core';

import { readConfig } from './config';
import { startBilling } from './service';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('billing', config.LOG_LEVEL);
  const service = await startBilling(config, { logger });
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [{ name: 'service', run: () => service.close() }]);
}

main().catch((error: unknown) => {
  process.stderr.write(`billing failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

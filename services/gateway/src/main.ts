import { createLogger, onShutdown } from '@pitlane/core';

import { readConfig } from './config';
import { startGateway } from './service';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const gateway = await startGateway(config, { logger });
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [{ name: 'gateway', run: () => gateway.close() }]);
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { createLogger, onShutdown } from '@pitlane/core';

import { readConfig } from './config';
import { startWebhooks } from './service';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('webhooks', config.LOG_LEVEL);
  const service = await startWebhooks(config, { logger });
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [{ name: 'service', run: () => service.close() }]);
}

main().catch((error: unknown) => {
  process.stderr.write(`webhooks failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

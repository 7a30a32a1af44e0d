import { createLogger, onShutdown } from '@pitlane/core';

import { readConfig } from './config';
import { startBookings } from './service';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger('bookings', config.LOG_LEVEL);
  const service = await startBookings(config, { logger });
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [{ name: 'service', run: () => service.close() }]);
}

main().catch((error: unknown) => {
  process.stderr.write(`bookings failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { createLogger, Metrics } from '@pitlane/core';
import { EventBus, type EventBusOptions } from '@pitlane/events';

export const silentLogger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

export function newBus(url: string, exchange: string, queue: string, extra: Partial<EventBusOptions> = {}): EventBus {
  return new EventBus({
    url,
    exchange,
    queue,
    logger: silentLogger,
    metrics: new Metrics('test', { defaultMetrics: false }),
    reconnectInitialMs: 100,
    reconnectMaxMs: 500,
    ...extra,
  });
}

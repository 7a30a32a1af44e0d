import { createLogger, Metrics } from '@pitlane/core';
import { EventBus, type EventEnvelope } from '@pitlane/events';
import { z } from 'zod';

import { deleteAmqpNames } from './amqp';
import { infraUrls } from './infra';
import type { TestNames } from './names';
import { waitFor } from './wait-for';

export interface EventRecorder {
  events: EventEnvelope[];
  /** resolves with the first recorded event of that type matching the predicate */
  next<T = unknown>(type: string, predicate?: (event: EventEnvelope<T>) => boolean, timeoutMs?: number): Promise<EventEnvelope<T>>;
  ofType<T = unknown>(type: string): EventEnvelope<T>[];
  stop(): Promise<void>;
}

/** Listens on the test file's exchange like a partner-facing consumer would, so tests assert on
 * the events really published to the broker, not on internals. */
export async function startEventRecorder(names: TestNames, types: string[] | '#' = '#'): Promise<EventRecorder> {
  const queue = `${names.queuePrefix}recorder.${Math.random().toString(36).slice(2, 8)}`;
  const bus = new EventBus({
    url: infraUrls().amqpUrl,
    exchange: names.exchange,
    queue,
    logger: createLogger('event-recorder', 'silent'),
    metrics: new Metrics('event-recorder', { defaultMetrics: false }),
    retryDelaysMs: [],
  });
  const events: EventEnvelope[] = [];
  for (const type of types === '#' ? ['#'] : types) {
    bus.subscribe(type, z.unknown(), (event) => {
      events.push(event);
    });
  }
  await bus.start();
  const ofType = <T>(type: string) => events.filter((event) => event.type === type) as EventEnvelope<T>[];
  return {
    events,
    ofType,
    next: <T>(type: string, predicate: (event: EventEnvelope<T>) => boolean = () => true, timeoutMs = 10_000) =>
      waitFor(() => ofType<T>(type).find(predicate), { timeoutMs, message: `no ${type} event arrived` }),
    stop: async () => {
      await bus.stop();
      await deleteAmqpNames(infraUrls().amqpUrl, null, [queue]).catch(() => undefined);
    },
  };
}

import { createLogger, Metrics } from '@pitlane/core';
import { EventBus, type EventBusOptions, type EventEnvelope } from '@pitlane/events';

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

/** A broker stand-in for the relay's tests: publishes can be held open (hold), refused one by one
 * (fail) or all (refuseAll, the broker being away); it records what it confirmed and when it was
 * asked. */
export class FakeBus {
  published: string[] = [];
  fail = new Set<string>();
  refuseAll = false;
  /** when each publish was asked for (Date.now()) */
  asked: number[] = [];
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;

  get entered(): number {
    return this.asked.length;
  }
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.gate = null;
    this.open();
  }
  async publish(event: EventEnvelope): Promise<void> {
    this.asked.push(Date.now());
    if (this.gate) await this.gate;
    if (this.refuseAll || this.fail.has(event.id)) throw new Error(`broker refused ${event.id}`);
    this.published.push(event.id);
  }
  asBus(): EventBus {
    return this as unknown as EventBus;
  }
}

import { createLogger, Metrics } from '@pitlane/core';
import { createEvent, EventBus, outboxPlugin, type EventBusOptions, type EventEnvelope, type OutboxRelay } from '@pitlane/events';
import { waitFor } from '@pitlane/testing';
import { Schema, type Model } from 'mongoose';

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

/** The document the outbox tests write: an item with a quantity (and a `code` to find it by otherwise than `_id`). */
export interface Item {
  _id: string;
  code?: string;
  quantity: number;
}

export function itemSchema(): Schema<Item> {
  return new Schema<Item>({ _id: String, code: String, quantity: Number }, { versionKey: false }).plugin(outboxPlugin);
}

export function itemEvent(itemId: string): EventEnvelope {
  return createEvent('inventory', { type: 'inventory.adjusted', data: { itemId, quantity: 1 }, organisationId: 'org1', garageId: 'g1' });
}

/** How many events the document still holds (undefined: none left, the field pulled empty or absent). */
export async function pendingEvents(model: Model<Item>, id: string): Promise<number | undefined> {
  return ((await model.collection.findOne({ _id: id as never }))?.outbox as unknown[] | undefined)?.length;
}

/** Starts the relay and returns once its first sweep (the one at start) is over. */
export async function startedAfterFirstSweep(relay: OutboxRelay): Promise<OutboxRelay> {
  const sweep = jest.spyOn(relay, 'runOnce');
  relay.start();
  await waitFor(() => sweep.mock.results.length === 1);
  await sweep.mock.results[0]!.value;
  sweep.mockRestore();
  return relay;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

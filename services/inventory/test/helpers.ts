import { createLogger, Metrics, signInternalToken } from '@pitlane/core';
import { createEvent, EventBus, type AggregateRef } from '@pitlane/events';
import {
  checkResponse,
  deleteAmqpNames,
  infraUrls,
  json,
  serviceEnv,
  startEventRecorder,
  TEST_INTERNAL_SECRET,
  testNames,
  waitFor,
  type ApiBody,
  type EventRecorder,
  type TestNames,
} from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startInventory, type InventoryService } from '../src/service';
import { newGarage, type TestGarage } from './factories';

export interface Harness {
  names: TestNames;
  service: InventoryService;
  recorder: EventRecorder;
  /** publishes events as the bookings service would */
  publish(type: string, garage: TestGarage, data: unknown, id?: string, aggregate?: AggregateRef): Promise<string>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  body: ApiBody;
}

export type Client = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

/** One inventory instance per test file, on port 0 with the file's own database and exchange. */
export async function startHarness(file: string): Promise<Harness> {
  const names = testNames(file);
  const queue = `${names.queuePrefix}inventory`;
  const service = await startInventory(readConfig(serviceEnv(names, 'inventory', { REPAIR_INTERVAL_MS: '200', RECONCILE_INTERVAL_MS: '200' })), {
    queue,
    relayPollIntervalMs: 50,
    retryDelaysMs: [50, 200],
  });
  const recorder = await startEventRecorder(names);
  const publisherQueue = `${names.queuePrefix}bookings`;
  const publisher = new EventBus({
    url: infraUrls().amqpUrl,
    exchange: names.exchange,
    queue: publisherQueue,
    logger: createLogger('bookings-stand-in', 'silent'),
    metrics: new Metrics('bookings_stand_in', { defaultMetrics: false }),
  });
  await publisher.start();
  return {
    names,
    service,
    recorder,
    publish: async (type, garage, data, id, aggregate) => {
      const event = createEvent('bookings', { type, data, organisationId: garage.organisationId, garageId: garage.id });
      if (id) event.id = id;
      if (aggregate) event.aggregate = aggregate;
      await publisher.publish(event);
      return event.id;
    },
    close: async () => {
      await recorder.stop();
      await publisher.stop();
      await service.connection.dropDatabase();
      await service.close();
      await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, [queue, publisherQueue]);
    },
  };
}

/** Calls the service the way the gateway does: with a signed token for that garage. */
export function clientFor(harness: Harness, garage: TestGarage, permission: 'read' | 'read_write' = 'read_write'): Client {
  return async (method, path, body, headers = {}) => {
    const token = signInternalToken(
      {
        organisationId: garage.organisationId,
        keyId: garage.keyId,
        permission,
        garageId: garage.id,
        garage: { name: 'Test garage', timezone: garage.timezone, currency: garage.currency },
        requestId: 'test',
      },
      TEST_INTERNAL_SECRET,
    );
    const response = await fetch(`${harness.service.url}/api/v1/garages/${garage.id}${path}`, {
      method,
      headers: { 'x-pitlane-internal-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await checkResponse(method, response.url, response);
    return { status: response.status, body: await json(response) };
  };
}

interface MovementView {
  seq: number;
  quantity: number;
  reservedQuantity: number;
  quantityOnHand: number;
  quantityReserved: number;
}

/** Reads the whole ledger of an item through the API and checks it against the item: quantities
 * are the sums of the movements, sequence numbers have no gaps, and every running total matches. */
export async function expectLedgerConsistent(client: Client, itemId: string): Promise<MovementView[]> {
  const movements: MovementView[] = [];
  for (let page = 1; ; page++) {
    const reply = await client('GET', `/inventory/${itemId}/movements?sort=seq&limit=100&page=${page}`);
    expect(reply.status).toBe(200);
    movements.push(...(reply.body.data as MovementView[]));
    if (!reply.body.pagination?.hasMore) break;
  }
  const item = (await client('GET', `/inventory/${itemId}`)).body.data as { quantityOnHand: number; quantityReserved: number };
  let onHand = 0;
  let reserved = 0;
  movements.forEach((movement, index) => {
    onHand += movement.quantity;
    reserved += movement.reservedQuantity;
    expect({ seq: movement.seq, onHand: movement.quantityOnHand, reserved: movement.quantityReserved }).toEqual({
      seq: index + 1,
      onHand,
      reserved,
    });
  });
  expect({ onHand, reserved }).toEqual({ onHand: item.quantityOnHand, reserved: item.quantityReserved });
  return movements;
}

/** How many deliveries of an event type the service acked with that outcome (its /metrics counter). */
export async function consumedCount(harness: Harness, type: string, outcome: 'handled' | 'duplicate'): Promise<number> {
  const metric = await harness.service.metrics.eventsConsumed.get();
  return metric.values.filter((v) => v.labels.type === type && v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
}

/**
 * The bound for "nothing else was published": resolves once every event the service has written so far
 * has reached the recorder. First the outboxes are empty (the relay pulls an event only after the broker
 * confirmed it, so it is in the recorder's queue), then a marker published after that point arrives —
 * the recorder's queue is FIFO with one consumer, so everything enqueued before the marker was recorded
 * first. Counting events after this proves no further one was written before this point.
 */
export async function allWrittenEventsRecorded(harness: Harness): Promise<void> {
  const { Item, PurchaseOrder, Notice } = harness.service.models;
  await waitFor(
    async () => {
      const pending = await Promise.all(
        [Item, PurchaseOrder, Notice].map(({ collection }) => collection.findOne({ 'outbox.0': { $exists: true } }, { projection: { _id: 1 } })),
      );
      return pending.every((found) => found === null);
    },
    { message: 'outbox events not all published' },
  );
  const marker = await harness.publish('test.marker', newGarage(), {});
  await harness.recorder.next('test.marker', (event) => event.id === marker);
}

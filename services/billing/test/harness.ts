import { eventSchemas, type EventType } from '@pitlane/contracts';
import { createLogger, Metrics, signInternalToken } from '@pitlane/core';
import { createEvent, EventBus } from '@pitlane/events';
import {
  checkResponse,
  deleteAmqpNames,
  infraUrls,
  json,
  serviceEnv,
  startEventRecorder,
  testNames,
  waitFor,
  TEST_INTERNAL_SECRET,
  type ApiBody,
  type EventRecorder,
  type TestNames,
} from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startBilling, type BillingService } from '../src/service';
import { bookingCompleted, newCustomer, newVehicle, type BookingCompletedData, type CustomerData, type TestGarage, type VehicleData } from './factories';

/** The token the gateway would sign for a key of `garage`. */
export function tokenFor(garage: TestGarage, permission: 'read' | 'read_write'): string {
  return signInternalToken(
    {
      organisationId: garage.organisationId,
      keyId: 'key-test',
      permission,
      garageId: garage.garageId,
      garage: { name: garage.name, timezone: garage.timezone, currency: garage.currency },
      requestId: 'req-test',
    },
    TEST_INTERNAL_SECRET,
  );
}

export interface Harness {
  names: TestNames;
  /** every started instance; they share the database and compete on one queue */
  instances: BillingService[];
  billing: BillingService;
  events: EventRecorder;
  /** a call as the gateway would proxy it for a key of `garage` */
  api(
    garage: TestGarage,
    method: string,
    path: string,
    body?: unknown,
    options?: { permission?: 'read' | 'read_write'; headers?: Record<string, string> },
  ): Promise<{ status: number; body: ApiBody; headers: Headers }>;
  /** a GET whose body is not JSON (the PDF) */
  download(garage: TestGarage, path: string): Promise<{ response: Response; body: Buffer }>;
  /** a call to the public (no key) routes */
  publicApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: ApiBody; headers: Headers }>;
  /** publishes as the bookings service would; `occurredAt` overrides the event time (ordering tests) */
  publish(garage: TestGarage, type: string, data: unknown, occurredAt?: Date): Promise<void>;
  /** publishes customer.created (+ vehicle.created) and waits until billing knows them */
  customerOf(garage: TestGarage): Promise<{ customer: CustomerData; vehicle: VehicleData }>;
  /** how many deliveries of `type` all instances have finished (handled or recognised as duplicates) */
  consumed(type: string): Promise<number>;
  /**
   * Resolves once every event billing has written so far is in `events`: waits until no invoice or
   * estimate holds pending outbox events (all published, with broker confirms), then sends a barrier
   * event through the same exchange and waits for the recorder to get it; its queue is FIFO, so every
   * earlier event got there first. Lets a test prove that nothing else arrived, with no time bound.
   */
  settle(): Promise<void>;
  /** publishes booking.completed and waits for its invoice */
  completeBooking(garage: TestGarage, overrides?: Partial<BookingCompletedData>): Promise<ApiBody['data']>;
  close(): Promise<void>;
}

/** One billing service (or several on the same database and queue) started in-process on port 0
 * with this test file's own database, exchange and queues. */
export async function startHarness(testFile: string, options: { instances?: number; env?: Record<string, string> } = {}): Promise<Harness> {
  const names = testNames(testFile);
  const config = readConfig(serviceEnv(names, 'billing', { PUBLIC_BASE_URL: 'https://pitlane.example', ...options.env }));
  const queue = `${names.queuePrefix}billing`;
  const instances: BillingService[] = [];
  for (let i = 0; i < (options.instances ?? 1); i++) {
    instances.push(await startBilling(config, { queue, relayPollIntervalMs: 50, retryDelaysMs: [50, 200] }));
  }
  const billing = instances[0] as BillingService;
  const events = await startEventRecorder(names);
  const publisher = new EventBus({
    url: infraUrls().amqpUrl,
    exchange: names.exchange,
    queue: `${names.queuePrefix}publisher`,
    logger: createLogger('test-publisher', 'silent'),
    metrics: new Metrics('test-publisher', { defaultMetrics: false }),
  });
  await publisher.start();

  const call = async (url: string, method: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await checkResponse(method, response.url, response);
    return { status: response.status, body: await json(response), headers: response.headers };
  };

  const harness: Harness = {
    names,
    instances,
    billing,
    events,
    api: (garage, method, path, body, options = {}) =>
      call(
        `${billing.url}/api/v1/garages/${garage.garageId}${path}`,
        method,
        { ...options.headers, 'x-pitlane-internal-token': tokenFor(garage, options.permission ?? 'read_write') },
        body,
      ),
    download: async (garage, path) => {
      const response = await fetch(`${billing.url}/api/v1/garages/${garage.garageId}${path}`, {
        headers: { 'x-pitlane-internal-token': tokenFor(garage, 'read') },
      });
      await checkResponse('GET', response.url, response);
      return { response, body: Buffer.from(await response.arrayBuffer()) };
    },
    publicApi: (method, path, body) => call(`${billing.url}/api/v1/public${path}`, method, {}, body),
    publish: (garage, type, data, occurredAt) => {
      const event = createEvent('bookings', { type, data, organisationId: garage.organisationId, garageId: garage.garageId });
      return publisher.publish(occurredAt ? { ...event, occurredAt: occurredAt.toISOString() } : event);
    },
    customerOf: async (garage) => {
      const customer = newCustomer();
      const vehicle = newVehicle(customer.id);
      await harness.publish(garage, 'customer.created', { customer });
      await harness.publish(garage, 'vehicle.created', { vehicle });
      await waitFor(async () => (await billing.models.Vehicle.exists({ _id: `${garage.garageId}:${vehicle.id}` })) !== null, {
        message: 'customer/vehicle read models not updated',
      });
      await waitFor(async () => (await billing.models.Customer.exists({ _id: `${garage.garageId}:${customer.id}` })) !== null);
      return { customer, vehicle };
    },
    consumed: async (type) => {
      let total = 0;
      for (const instance of instances) {
        const { values } = await instance.metrics.eventsConsumed.get();
        for (const v of values) if (v.labels.type === type && (v.labels.outcome === 'handled' || v.labels.outcome === 'duplicate')) total += v.value;
      }
      return total;
    },
    settle: async () => {
      const pending = { 'outbox.id': { $exists: true } };
      await waitFor(
        async () =>
          (await billing.connection.collection('invoices').countDocuments(pending)) === 0 &&
          (await billing.connection.collection('estimates').countDocuments(pending)) === 0,
        { message: 'billing still has unpublished outbox events' },
      );
      const barrier = createEvent('test', { type: 'test.barrier', data: {}, organisationId: 'org-test', garageId: null });
      await publisher.publish(barrier);
      await waitFor(() => events.events.some((event) => event.id === barrier.id), { message: 'the barrier event did not reach the recorder' });
    },
    completeBooking: async (garage, overrides = {}) => {
      const data = bookingCompleted(overrides);
      await harness.publish(garage, 'booking.completed', data);
      return waitFor(async () => {
        const { body } = await harness.api(garage, 'GET', `/invoices?bookingId=${data.booking.bookingId}`);
        return body.data?.[0];
      }, { message: 'no invoice for the completed booking' });
    },
    close: async () => {
      // every event billing published during the file must match its contract (libs/contracts/src/billing.ts)
      const violations = events.events
        .filter((event) => event.source === 'billing')
        .flatMap((event) => {
          const schema = eventSchemas[event.type as EventType];
          const result = schema ? schema.safeParse(event.data) : { success: false as const, error: 'no schema' };
          return result.success ? [] : [`${event.type}: ${String(result.error)}`];
        });
      await events.stop();
      await publisher.stop();
      await billing.connection.dropDatabase();
      for (const instance of instances) await instance.close();
      await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, [queue, `${names.queuePrefix}publisher`]);
      if (violations.length > 0) throw new Error(`events off contract:\n${violations.join('\n')}`);
    },
  };
  return harness;
}

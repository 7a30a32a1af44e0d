import { createLogger, Metrics, signInternalToken } from '@pitlane/core';
import { createEvent, EventBus, type EventEnvelope } from '@pitlane/events';
import {
  checkResponse,
  deleteAmqpNames,
  infraUrls,
  json,
  randomId,
  serviceEnv,
  startEventRecorder,
  testNames,
  TEST_INTERNAL_SECRET,
  type ApiBody,
  type EventRecorder,
  type TestNames,
} from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startBookings, type BookingsService } from '../src/service';

export interface Garage {
  garageId: string;
  organisationId: string;
  timezone: string;
  currency: string;
}

export interface Reply extends ApiBody {
  status: number;
}

/** A partner's view of one garage: every call carries a gateway token for that garage. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly garage: Garage,
    private readonly permission: 'read' | 'read_write' = 'read_write',
  ) {}

  headers(): Record<string, string> {
    const { garageId, organisationId, timezone, currency } = this.garage;
    const token = signInternalToken(
      { organisationId, keyId: 'key_test', permission: this.permission, garageId, garage: { name: garageId, timezone, currency }, requestId: `req_${randomId()}` },
      TEST_INTERNAL_SECRET,
    );
    return { 'x-pitlane-internal-token': token };
  }

  url(path: string): string {
    return `${this.baseUrl}/api/v1/garages/${this.garage.garageId}${path}`;
  }

  async call(method: string, path: string, body?: unknown): Promise<Reply> {
    const response = await fetch(this.url(path), {
      method,
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await checkResponse(method, response.url, response);
    const parsed = response.status === 204 ? { success: true } : await json(response);
    return { status: response.status, ...parsed };
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body?: unknown) => this.call('POST', path, body ?? {});
  put = (path: string, body: unknown) => this.call('PUT', path, body);
  patch = (path: string, body: unknown) => this.call('PATCH', path, body);
  delete = (path: string) => this.call('DELETE', path);
}

export interface Harness {
  names: TestNames;
  service: BookingsService;
  events: EventRecorder;
  /** a fresh garage (own schedule and capacity) of one organisation */
  garage(overrides?: Partial<Garage>): Api;
  close(): Promise<void>;
}

/** Starts the service in-process on port 0 with this file's own database and exchange, and a recorder on that exchange
 * (`names` of an earlier harness: a restart on the same database). */
export async function startHarness(testFile: string, env: Record<string, string> = {}, names: TestNames = testNames(testFile)): Promise<Harness> {
  const service = await startBookings(readConfig(serviceEnv(names, 'bookings', env)), {
    queue: `${names.queuePrefix}bookings`,
    relayPollIntervalMs: 50,
    retryDelaysMs: [50, 200],
  });
  const events = await startEventRecorder(names);
  return {
    names,
    service,
    events,
    garage: (overrides = {}) =>
      new Api(service.url, { garageId: `gar_${randomId()}`, organisationId: 'org_test', timezone: 'Europe/London', currency: 'GBP', ...overrides }),
    close: async () => {
      await events.stop();
      await service.connection.dropDatabase();
      await service.close();
      await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, [`${names.queuePrefix}bookings`]);
    },
  };
}

/** How many deliveries of an event type the service has finished with (acked as handled or
 * duplicate), from its own events_consumed_total counter, the one /metrics shows. */
export async function consumedCount(harness: Harness, type: string): Promise<number> {
  const metric = await harness.service.metrics.eventsConsumed.get();
  return metric.values
    .filter((v) => v.labels.type === type && (v.labels.outcome === 'handled' || v.labels.outcome === 'duplicate'))
    .reduce((sum, v) => sum + v.value, 0);
}

/** A date `weeks` weeks ahead on the given weekday (0 = Sunday … 6 = Saturday), never in the past. */
export function futureDate(weekday: number, weeks = 2): string {
  const date = new Date();
  date.setUTCHours(0, 0, 0, 0);
  date.setUTCDate(date.getUTCDate() + weeks * 7 + ((weekday - date.getUTCDay() + 7) % 7));
  return date.toISOString().slice(0, 10);
}

export const openWeek = {
  mon: { open: '08:00', close: '12:00' },
  tue: { open: '08:00', close: '12:00' },
  wed: { open: '08:00', close: '12:00' },
  thu: { open: '08:00', close: '12:00' },
  fri: { open: '08:00', close: '12:00' },
  sat: null,
  sun: null,
};

export async function putSchedule(api: Api, overrides: Record<string, unknown> = {}): Promise<Reply> {
  const reply = await api.put('/schedule', {
    openingHours: openWeek,
    closedDates: [],
    dailyCapacity: 10,
    slotMinutes: 60,
    slotCapacity: 3,
    timeslotRequired: false,
    ...overrides,
  });
  if (reply.status !== 200) throw new Error(`schedule: ${JSON.stringify(reply)}`);
  return reply;
}

export async function createCustomer(api: Api, overrides: Record<string, unknown> = {}) {
  const reply = await api.post('/customers', { firstName: 'Ada', lastName: `Driver ${randomId(4)}`, email: `ada.${randomId(6)}@example.com`, phone: '+44 20 7946 0000', ...overrides });
  if (reply.status !== 201) throw new Error(`customer: ${JSON.stringify(reply)}`);
  return reply.data as { id: string; firstName: string; lastName: string };
}

export async function createVehicle(api: Api, customerId: string, overrides: Record<string, unknown> = {}) {
  const reply = await api.post('/vehicles', { customerId, make: 'Honda', model: 'Accord', vehicleType: 'car', year: 2003, ...overrides });
  if (reply.status !== 201) throw new Error(`vehicle: ${JSON.stringify(reply)}`);
  return reply.data as { id: string; customerId: string };
}

/** A customer with `count` vehicles: each can hold its own active booking. */
export async function customerWithVehicles(api: Api, count: number) {
  const customer = await createCustomer(api);
  const vehicles = [];
  for (let i = 0; i < count; i++) vehicles.push(await createVehicle(api, customer.id, { registration: `T${i}` }));
  return { customer, vehicles };
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Publishes events on the file's exchange as another service (inventory, billing) would. */
export async function startPublisher(names: TestNames) {
  const bus = new EventBus({
    url: infraUrls().amqpUrl,
    exchange: names.exchange,
    queue: `${names.queuePrefix}publisher`,
    logger: createLogger('test-publisher', 'silent'),
    metrics: new Metrics('test-publisher', { defaultMetrics: false }),
  });
  await bus.start();
  return {
    publish: async <T>(source: string, type: string, garage: Garage, data: T) => {
      const event = createEvent(source, { type, data, organisationId: garage.organisationId, garageId: garage.garageId });
      await bus.publish(event);
      return event;
    },
    republish: (event: EventEnvelope) => bus.publish(event),
    stop: () => bus.stop(),
  };
}

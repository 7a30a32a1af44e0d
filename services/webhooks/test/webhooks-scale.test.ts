import { createEvent, type EventBus } from '@pitlane/events';
import { testNames, waitFor } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, staysTrue, type Receiver } from './factories';

const garage = { garageId: 'gar_c1', organisationId: 'org_c' };

/** Sends start no earlier than their slots, 1000/rate ms apart. A send that starts late (a busy
 * machine) can arrive in the same second as the on-time slots after it, so one second may see
 * rate + 2 arrivals — never more; and n arrivals spread over close to (n - 1) intervals. */
function expectRate(arrivals: number[], rate: number): void {
  const sorted = [...arrivals].sort((a, b) => a - b);
  const interval = 1000 / rate;
  const busiestSecond = Math.max(...sorted.map((start) => sorted.filter((at) => at >= start && at < start + 1000).length));
  expect(busiestSecond).toBeLessThanOrEqual(rate + 2);
  expect((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)).toBeGreaterThanOrEqual((sorted.length - 1) * interval * 0.85);
}

describe('webhooks: per-endpoint isolation and rate limits', () => {
  const names = testNames(__filename);
  let service: WebhooksService;
  let publisher: EventBus;
  let receiver: Receiver;
  let api: ReturnType<typeof apiFor>;

  beforeAll(async () => {
    [service, publisher, receiver] = await Promise.all([
      startTestService(names, { WEBHOOK_ENDPOINT_CONCURRENCY: '2', WEBHOOK_TIMEOUT_MS: '4000' }),
      startPublisher(names),
      startReceiver((request) => (request.path === '/hang' ? 'hang' : { status: 200 })),
    ]);
    api = apiFor(service, garage);
  });

  afterAll(async () => {
    await receiver.close(); // releases the hanging requests first, so the service stops at once
    await cleanUp(names, [service], [publisher]);
  });

  const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);

  it('when one receiver hangs, then deliveries to a healthy receiver are not delayed', async () => {
    const hanging = await createWebhook(api, { url: `${receiver.url}/hang`, events: ['customer.created'] });
    const healthy = await createWebhook(api, { url: `${receiver.url}/healthy`, events: ['customer.created'] });
    const started = Date.now();
    for (let i = 0; i < 10; i++) await publisher.publish(customerCreated(garage));

    // well before the hanging attempts time out (4 s): nothing waited for them
    await waitFor(() => requestsTo('/healthy').length === 10, { timeoutMs: 3000 });
    expect(Date.now() - started).toBeLessThan(2500);
    // the hanging endpoint holds only its own concurrency slots
    expect(requestsTo('/hang')).toHaveLength(2);
    const pending = await api('GET', `/webhooks/${hanging.id}/deliveries?status=pending`);
    expect(pending.body.pagination?.total).toBe(10);
    await waitFor(async () => (await api('GET', `/webhooks/${healthy.id}/deliveries?status=succeeded`)).body.pagination?.total === 10);
    await api('PATCH', `/webhooks/${hanging.id}`, { status: 'disabled' });
  });

  it('when an endpoint has a rate limit, then deliveries to it are spaced to that rate', async () => {
    await createWebhook(api, { url: `${receiver.url}/limited`, events: ['customer.created'], rateLimit: 5 });
    for (let i = 0; i < 8; i++) await publisher.publish(customerCreated(garage));

    const arrivals = await waitFor(() => requestsTo('/limited').length === 8 && requestsTo('/limited').map((r) => r.at), { timeoutMs: 15_000 });
    expectRate(arrivals, 5);
  });
});

describe('webhooks: two instances consuming together', () => {
  const names = testNames(`${__filename}-pair`);
  let services: WebhooksService[];
  let publisher: EventBus;
  let receiver: Receiver;
  const seen = new Set<string>();

  beforeAll(async () => {
    // the first attempt of every message fails, so the retries go through both instances' pollers too
    receiver = await startReceiver((request) => {
      if (request.path === '/limited-pair') return { status: 200 };
      const key = `${request.path} ${String(request.headers['webhook-id'])}`;
      if (seen.has(key)) return { status: 200 };
      seen.add(key);
      return { status: 500 };
    });
    services = await Promise.all([startTestService(names), startTestService(names)]);
    publisher = await startPublisher(names);
  });

  afterAll(async () => {
    await cleanUp(names, services, [publisher]);
    await receiver.close();
  });

  it('when events (some published twice) reach two instances, then every attempt is sent exactly once', async () => {
    const [first, second] = services as [WebhooksService, WebhooksService];
    const api = apiFor(first, garage);
    await createWebhook(api, { url: `${receiver.url}/one`, events: ['customer.created'] });
    await createWebhook(apiFor(second, garage), { url: `${receiver.url}/two`, events: ['*'] });
    const events = Array.from({ length: 20 }, () => customerCreated(garage));
    await Promise.all(events.map((event) => publisher.publish(event)));
    await Promise.all(events.slice(0, 10).map((event) => publisher.publish(event)));

    await waitFor(() => receiver.requests.length >= 80, { timeoutMs: 30_000 });
    // no attempt is sent twice: a duplicate (a second instance, a redelivered event, a late retry)
    // would follow within a poll (50 ms) plus the longest retry delay (200 ms); 500 ms covers it
    await staysTrue(() => receiver.requests.length === 80, 500);
    const perMessage = new Map<string, number[]>();
    for (const request of receiver.requests.filter((r) => r.path !== '/limited-pair')) {
      const key = `${request.path} ${String(request.headers['webhook-id'])}`;
      perMessage.set(key, [...(perMessage.get(key) ?? []), request.at]);
    }
    expect(perMessage.size).toBe(40);
    expect([...perMessage.values()].every((times) => times.length === 2)).toBe(true);
    expect(receiver.requests).toHaveLength(80);
  });

  it('when an endpoint has a rate limit, then both instances together keep to it', async () => {
    const [first] = services as [WebhooksService, WebhooksService];
    await createWebhook(apiFor(first, garage), { url: `${receiver.url}/limited-pair`, events: ['vehicle.created'], rateLimit: 5 });
    const events = Array.from({ length: 10 }, (_, i) =>
      createEvent('bookings', {
        type: 'vehicle.created',
        ...garage,
        data: { vehicle: { id: `veh_${i}`, customerId: 'cus_1', vin: null, registration: null, make: 'VW', model: 'Up', year: null, vehicleType: 'car' } },
      }),
    );
    await Promise.all(events.map((event) => publisher.publish(event)));

    const limited = () => receiver.requests.filter((request) => request.path === '/limited-pair');
    await waitFor(() => limited().length === 10, { timeoutMs: 15_000 }); // a bound against hanging, not the property: the rate is
    expectRate(limited().map((request) => request.at), 5);
    expect(new Set(limited().map((request) => request.headers['webhook-id'])).size).toBe(10);
  });
});

import { createEvent, type EventBus } from '@pitlane/events';
import { infraUrls, peekQueue, testNames, waitFor } from '@pitlane/testing';
import { Webhook } from 'standardwebhooks';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, consumedCount, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, type Receiver } from './factories';

const names = testNames(__filename);
const garage = { garageId: 'gar_d1', organisationId: 'org_d' };
const otherGarage = { garageId: 'gar_d2', organisationId: 'org_d' };

describe('webhooks: fan-out and signed delivery', () => {
  let service: WebhooksService;
  let publisher: EventBus;
  let receiver: Receiver;
  let api: ReturnType<typeof apiFor>;

  beforeAll(async () => {
    [service, publisher, receiver] = await Promise.all([startTestService(names), startPublisher(names), startReceiver()]);
    api = apiFor(service, garage);
  });

  afterAll(async () => {
    await cleanUp(names, [service], [publisher]);
    await receiver.close();
  });

  const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);

  it('when an event is published, then the endpoint receives it signed per Standard Webhooks, verifiable with the standardwebhooks package', async () => {
    const { secret } = await createWebhook(api, { url: `${receiver.url}/signed`, events: ['customer.created'] });
    const event = customerCreated(garage);
    await publisher.publish(event);

    const [request] = await waitFor(() => requestsTo('/signed').length === 1 && requestsTo('/signed'));
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/Pitlane/);
    expect(request?.headers['webhook-id']).toBe(event.id);
    expect(Math.abs(Number(request?.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(request?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const verified = new Webhook(secret).verify(request?.body ?? '', request?.headers as Record<string, string>);
    expect(verified).toEqual({ id: event.id, type: 'customer.created', timestamp: event.occurredAt, garageId: garage.garageId, data: event.data });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request?.body ?? '', request?.headers as Record<string, string>)).toThrow();
    await waitFor(async () => (await (await fetch(`${service.url}/metrics`)).text()).includes('webhook_attempts_total{result="2xx"'));
  });

  it('when the endpoint is a host name (private targets allowed), then it is resolved at send time and receives the event', async () => {
    const port = new URL(receiver.url).port;
    await createWebhook(api, { url: `http://localhost:${port}/by-name`, events: ['customer.created'] });
    await publisher.publish(customerCreated(garage));
    await waitFor(() => requestsTo('/by-name').length === 1);
  });

  it('when an event type appears that this release does not know, then "*" endpoints still receive it', async () => {
    await createWebhook(api, { url: `${receiver.url}/everything`, events: ['*'] });
    const future = createEvent('bookings', { type: 'tyre.rotated', ...garage, data: { anything: true } });
    await publisher.publish(future);

    const [request] = await waitFor(() => requestsTo('/everything').find((r) => JSON.parse(r.body).id === future.id) && requestsTo('/everything'));
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'tyre.rotated', data: { anything: true } });
  });

  it('when an endpoint subscribes to some types only, then it receives those and nothing else', async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url}/filtered`, events: ['vehicle.created'] });
    // a witness for the type the filtered endpoint does not want: once it has the event, that
    // event's fan-out (all its deliveries, stored at once) is done
    await createWebhook(api, { url: `${receiver.url}/witness`, events: ['customer.created'] });
    const unwanted = customerCreated(garage);
    await publisher.publish(unwanted);
    const vehicle = createEvent('bookings', {
      type: 'vehicle.created',
      ...garage,
      data: { vehicle: { id: 'veh_1', customerId: 'cus_1', vin: null, registration: 'AB12 CDE', make: 'Ford', model: 'Focus', year: 2019, vehicleType: 'car' } },
    });
    await publisher.publish(vehicle);

    await waitFor(() => requestsTo('/filtered').length === 1);
    await waitFor(() => requestsTo('/witness').some((request) => request.headers['webhook-id'] === unwanted.id));
    expect(requestsTo('/filtered').map((request) => JSON.parse(request.body).type)).toEqual(['vehicle.created']);
    expect((await api('GET', `/webhooks/${id}/deliveries`)).body.data.map((d: { eventType: string }) => d.eventType)).toEqual(['vehicle.created']);
  });

  it('when the same event is delivered twice by the broker, then the endpoint receives it once and one delivery exists', async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url}/redelivered`, events: ['customer.created'] });
    const event = customerCreated(garage);
    const duplicatesBefore = await consumedCount(service, 'customer.created', 'duplicate');
    await publisher.publish(event);
    await publisher.publish(event);

    // one copy was consumed as a duplicate: both copies are through the fan-out, and the one
    // delivery they share succeeded at its first attempt, so nothing more can be sent
    await waitFor(async () => (await consumedCount(service, 'customer.created', 'duplicate')) === duplicatesBefore + 1);
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=succeeded`)).body.pagination?.total === 1);
    expect(requestsTo('/redelivered')).toHaveLength(1);
    const deliveries = await api('GET', `/webhooks/${id}/deliveries`);
    expect(deliveries.body.data).toHaveLength(1);
    expect(deliveries.body.data[0]).toMatchObject({ eventId: event.id, status: 'succeeded', attemptCount: 1 });
  });

  it('when a test event is requested, then a signed webhook.test arrives and shows in the delivery history', async () => {
    const { id, secret } = await createWebhook(api, { url: `${receiver.url}/test-event`, events: ['invoice.paid'] });
    const response = await api('POST', `/webhooks/${id}/test`);
    expect(response.status).toBe(202);

    const [request] = await waitFor(() => requestsTo('/test-event').length === 1 && requestsTo('/test-event'));
    const payload = new Webhook(secret).verify(request?.body ?? '', request?.headers as Record<string, string>) as { type: string; garageId: string };
    expect(payload).toMatchObject({ type: 'webhook.test', garageId: garage.garageId });
    const history = await waitFor(async () => {
      const list = await api('GET', `/webhooks/${id}/deliveries?eventType=webhook.test`);
      return list.body.data?.[0]?.status === 'succeeded' && list.body;
    });
    expect(history.data[0].attempts).toEqual([
      expect.objectContaining({ status: 200, error: null, durationMs: expect.any(Number), at: expect.any(String) }),
    ]);
  });

  it('when the secret is rotated, then deliveries carry both signatures, each verifiable', async () => {
    const { id, secret: oldSecret } = await createWebhook(api, { url: `${receiver.url}/rotated`, events: ['customer.created'] });
    const rotated = await api('POST', `/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.data.secret as string;
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/);
    expect(newSecret).not.toBe(oldSecret);
    await publisher.publish(customerCreated(garage));

    const [request] = await waitFor(() => requestsTo('/rotated').length === 1 && requestsTo('/rotated'));
    const headers = request?.headers as Record<string, string>;
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => new Webhook(newSecret).verify(request?.body ?? '', headers)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(request?.body ?? '', headers)).not.toThrow();
    expect((await api('GET', `/webhooks/${id}`)).body.data.previousSecretExpiresAt).toEqual(expect.any(String));
  });

  it("when another garage's event is published, then this garage's endpoints receive nothing and see no delivery of it", async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url}/isolated`, events: ['*'] });
    const other = apiFor(service, otherGarage);
    const { id: otherId } = await createWebhook(other, { url: `${receiver.url}/other-garage`, events: ['*'] });
    await publisher.publish(customerCreated(otherGarage));

    // the other garage's endpoint has it, so the event's fan-out (every delivery of it) is done
    await waitFor(() => requestsTo('/other-garage').length === 1);
    expect(requestsTo('/isolated')).toHaveLength(0);
    expect((await api('GET', `/webhooks/${id}/deliveries`)).body.data).toEqual([]);
    // the other garage's deliveries are not reachable through this garage
    expect((await api('GET', `/webhooks/${otherId}/deliveries`)).status).toBe(404);
    const otherDeliveries = await other('GET', `/webhooks/${otherId}/deliveries`);
    expect(otherDeliveries.body.data).toHaveLength(1);
    expect((await api('POST', `/webhooks/${otherId}/deliveries/${otherDeliveries.body.data[0].id}/retry`)).status).toBe(404);
  });

  it('when deliveries are listed, then filters by status, event type and date apply and pages are counted', async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url}/listed`, events: ['*'] });
    for (let i = 0; i < 3; i++) await publisher.publish(customerCreated(garage));
    await api('POST', `/webhooks/${id}/test`);
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=succeeded`)).body.pagination?.total === 4);

    const page = await api('GET', `/webhooks/${id}/deliveries?limit=2&page=2`);
    expect(page.body.pagination).toEqual({ page: 2, limit: 2, total: 4, totalPages: 2, hasMore: false });
    expect((await api('GET', `/webhooks/${id}/deliveries?eventType=customer.created`)).body.pagination?.total).toBe(3);
    const today = new Date().toISOString().slice(0, 10);
    expect((await api('GET', `/webhooks/${id}/deliveries?dateFrom=${today}&dateTo=${today}`)).body.pagination?.total).toBe(4);
    expect((await api('GET', `/webhooks/${id}/deliveries?dateTo=2020-01-01`)).body.pagination?.total).toBe(0);
    expect((await api('GET', `/webhooks/${id}/deliveries?status=pending`)).body.pagination?.total).toBe(0);
    const bad = await api('GET', `/webhooks/${id}/deliveries?status=lost`);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.[0]?.field).toBe('status');
  });

  it('when a known event type arrives with data that breaks its contract, then it is dead-lettered and nothing is sent', async () => {
    await createWebhook(api, { url: `${receiver.url}/contract`, events: ['customer.created'] });
    const broken = createEvent('bookings', { type: 'customer.created', ...garage, data: { customer: { id: 42 } } });
    await publisher.publish(broken);

    const dead = await waitFor(async () => {
      const messages = await peekQueue(infraUrls().amqpUrl, `${names.queuePrefix}webhooks.dead`);
      return messages.find((message) => (message.body as { id: string }).id === broken.id);
    });
    expect(String(dead.headers['x-dead-letter-reason'])).toContain('invalid customer.created data');
    expect(requestsTo('/contract')).toHaveLength(0);
  });
});

import type { EventBus } from '@pitlane/events';
import { testNames, waitFor, type ApiBody } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, type Receiver } from './factories';

const names = testNames(__filename);
const garage = { garageId: 'gar_r1', organisationId: 'org_r' };

describe('webhooks: retries, history, manual retry and recover', () => {
  let service: WebhooksService;
  let publisher: EventBus;
  let receiver: Receiver;
  let api: ReturnType<typeof apiFor>;
  /** per path: the answers to give, in order; 200 once they run out */
  const script = new Map<string, ({ status: number; headers?: Record<string, string>; body?: string } | 'hang')[]>();

  beforeAll(async () => {
    [service, publisher, receiver] = await Promise.all([
      startTestService(names), // schedule 100 ms, 200 ms, no jitter
      startPublisher(names),
      startReceiver((request) => script.get(request.path)?.shift() ?? { status: 200 }),
    ]);
    api = apiFor(service, garage);
  });

  afterAll(async () => {
    await cleanUp(names, [service], [publisher]);
    await receiver.close();
  });

  const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);
  const deliveriesOf = async (id: string): Promise<ApiBody['data']> => (await api('GET', `/webhooks/${id}/deliveries`)).body.data;

  it('when the endpoint fails once, then the same message is retried after the backoff and succeeds, with both attempts stored', async () => {
    script.set('/flaky', [{ status: 500, body: 'x'.repeat(3000) }]);
    const { id } = await createWebhook(api, { url: `${receiver.url}/flaky` });
    const event = customerCreated(garage);
    await publisher.publish(event);

    const [first, second] = await waitFor(() => requestsTo('/flaky').length === 2 && requestsTo('/flaky'));
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(second?.body).toBe(first?.body);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(90);
    const [delivery] = await waitFor(async () => {
      const list = await deliveriesOf(id);
      return list[0]?.status === 'succeeded' && list;
    });
    expect(delivery?.attempts).toEqual([
      expect.objectContaining({ status: 500, error: null, responseBody: 'x'.repeat(1024) }),
      expect.objectContaining({ status: 200, error: null }),
    ]);
    expect(delivery).toMatchObject({ attemptCount: 2, nextAttemptAt: null, eventId: event.id });
  });

  it('when every attempt fails, then the schedule runs out and the delivery is failed', async () => {
    script.set('/down', Array.from({ length: 3 }, () => ({ status: 503 })));
    const { id } = await createWebhook(api, { url: `${receiver.url}/down` });
    await publisher.publish(customerCreated(garage));

    const [delivery] = await waitFor(async () => {
      const list = await deliveriesOf(id);
      return list[0]?.status === 'failed' && list;
    });
    expect(delivery).toMatchObject({ attemptCount: 3, failureReason: 'retries_exhausted', nextAttemptAt: null });
    const times = requestsTo('/down').map((request) => request.at);
    expect(times).toHaveLength(3);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(90);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('when nothing listens at the endpoint, then each attempt records connection_refused', async () => {
    const { id } = await createWebhook(api, { url: 'http://127.0.0.1:1/nothing' });
    await publisher.publish(customerCreated(garage));

    const [delivery] = await waitFor(async () => {
      const list = await deliveriesOf(id);
      return list[0]?.status === 'failed' && list;
    });
    expect(delivery?.attempts).toHaveLength(3);
    expect(delivery?.attempts[0]).toMatchObject({ status: null, error: 'connection_refused', responseBody: null });
  });

  it('when the TLS handshake fails, then the attempt records a tls error', async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url.replace('http:', 'https:')}/tls` });
    await publisher.publish(customerCreated(garage));

    const [delivery] = await waitFor(async () => {
      const list = await deliveriesOf(id);
      return list[0]?.attempts.length > 0 && list;
    });
    expect(delivery?.attempts[0]).toMatchObject({ status: null, error: 'tls' });
  });

  it('when the endpoint answers with a redirect, then it is not followed and counts as a failure', async () => {
    script.set('/moved', Array.from({ length: 3 }, () => ({ status: 302, headers: { location: '/moved-target' } })));
    const { id } = await createWebhook(api, { url: `${receiver.url}/moved` });
    await publisher.publish(customerCreated(garage));

    const [delivery] = await waitFor(async () => {
      const list = await deliveriesOf(id);
      return list[0]?.status === 'failed' && list;
    });
    expect(delivery?.attempts.map((attempt: { status: number }) => attempt.status)).toEqual([302, 302, 302]);
    expect(requestsTo('/moved-target')).toHaveLength(0);
  });

  it('when the endpoint answers 429 with Retry-After, then the retry waits that long instead of the schedule', async () => {
    script.set('/throttled', [{ status: 429, headers: { 'retry-after': '1' } }]);
    await createWebhook(api, { url: `${receiver.url}/throttled` });
    await publisher.publish(customerCreated(garage));

    const [first, second] = await waitFor(() => requestsTo('/throttled').length === 2 && requestsTo('/throttled'), { timeoutMs: 5000 });
    const gap = (second?.at ?? 0) - (first?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect(gap).toBeLessThan(3000); // not the 100 ms of the schedule, and not much later than asked
  });

  it('when a failed delivery is retried by hand, then it is sent again at once with the same webhook-id', async () => {
    script.set('/manual', Array.from({ length: 3 }, () => ({ status: 500 })));
    const { id } = await createWebhook(api, { url: `${receiver.url}/manual` });
    await publisher.publish(customerCreated(garage));
    const [failed] = await waitFor(async () => {
      const list = await deliveriesOf(id);
      return list[0]?.status === 'failed' && list;
    });

    const retried = await api('POST', `/webhooks/${id}/deliveries/${failed?.id}/retry`);
    expect(retried.status).toBe(202);
    await waitFor(() => requestsTo('/manual').length === 4);
    const after = await waitFor(async () => {
      const list = await deliveriesOf(id);
      return list[0]?.status === 'succeeded' && list[0];
    });
    expect(after.attempts.map((attempt: { status: number }) => attempt.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(requestsTo('/manual').map((request) => request.headers['webhook-id'])).size).toBe(1);
    const single = await api('GET', `/webhooks/${id}/deliveries/${failed?.id}`);
    expect(single.body.data).toMatchObject({ id: failed?.id, status: 'succeeded', attemptCount: 4 });
    expect((await api('POST', `/webhooks/${id}/deliveries/nope/retry`)).status).toBe(404);
  });

  it('when a worker died holding a delivery, then another worker takes it once the lease has run out', async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url}/orphan` });
    const event = customerCreated(garage);
    // arrange the state a crash leaves behind: stored, leased by an instance that is gone
    const leaseUntil = new Date(Date.now() + 300);
    await service.models.Delivery.create({
      key: `${event.id}:${id}`,
      garageId: garage.garageId,
      organisationId: garage.organisationId,
      webhookId: id,
      eventId: event.id,
      eventType: event.type,
      body: JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt, garageId: garage.garageId, data: event.data }),
      nextAttemptAt: new Date(Date.now() - 60_000),
      leaseOwner: 'a-worker-that-crashed',
      leaseUntil,
    });

    const [request] = await waitFor(() => requestsTo('/orphan').length === 1 && requestsTo('/orphan'));
    expect(request?.headers['webhook-id']).toBe(event.id);
    expect(request?.at).toBeGreaterThanOrEqual(leaseUntil.getTime()); // not while the lease held
    await waitFor(async () => (await deliveriesOf(id))[0]?.status === 'succeeded');
  });

  it('when failed deliveries are recovered since a time, then each of them is sent again', async () => {
    script.set('/recover', Array.from({ length: 6 }, () => ({ status: 500 })));
    const { id } = await createWebhook(api, { url: `${receiver.url}/recover` });
    const since = new Date(Date.now() - 1000).toISOString();
    await publisher.publish(customerCreated(garage));
    await publisher.publish(customerCreated(garage));
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=failed`)).body.pagination?.total === 2);

    const invalid = await api('POST', `/webhooks/${id}/recover`, { since: 'yesterday' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.details?.[0]?.field).toBe('since');
    const recovered = await api('POST', `/webhooks/${id}/recover`, { since });
    expect(recovered).toMatchObject({ status: 202, body: { data: { recovered: 2 } } });
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=succeeded`)).body.pagination?.total === 2);
    expect(requestsTo('/recover')).toHaveLength(8);
  });
});

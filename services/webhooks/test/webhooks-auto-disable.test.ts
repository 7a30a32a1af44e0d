import type { EventBus } from '@pitlane/events';
import { startEventRecorder, testNames, waitFor, type EventRecorder } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, staysTrue, type Receiver } from './factories';

const names = testNames(__filename);
const periodNames = testNames(`${__filename}-period`);
const garage = { garageId: 'gar_a1', organisationId: 'org_a' };

describe('webhooks: auto-disable', () => {
  let service: WebhooksService;
  let periodService: WebhooksService;
  let publisher: EventBus;
  let periodPublisher: EventBus;
  let recorder: EventRecorder;
  let receiver: Receiver;
  const failing = new Set<string>(['/streak', '/period']);

  beforeAll(async () => {
    [service, periodService, publisher, periodPublisher, recorder, receiver] = await Promise.all([
      startTestService(names, { WEBHOOK_RETRY_SCHEDULE_MS: '50', WEBHOOK_DISABLE_AFTER_FAILURES: '2' }),
      startTestService(periodNames, { WEBHOOK_RETRY_SCHEDULE_MS: '150,150,150,150', WEBHOOK_DISABLE_AFTER_MS: '400' }),
      startPublisher(names),
      startPublisher(periodNames),
      startEventRecorder(names, ['webhook.disabled']),
      startReceiver((request) =>
        request.path === '/gone' ? { status: 410 } : failing.has(request.path) ? { status: 500 } : { status: 200 },
      ),
    ]);
  });

  afterAll(async () => {
    await recorder.stop();
    await Promise.all([cleanUp(names, [service], [publisher]), cleanUp(periodNames, [periodService], [periodPublisher])]);
    await receiver.close();
  });

  const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);

  it('when N deliveries in a row fail, then the endpoint is disabled with a reason and a webhook.disabled event, and PATCH re-enables it', async () => {
    const api = apiFor(service, garage);
    const { id } = await createWebhook(api, { url: `${receiver.url}/streak`, events: ['customer.created'] });
    await createWebhook(api, { url: `${receiver.url}/operations`, events: ['webhook.disabled'] });
    await publisher.publish(customerCreated(garage));
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=failed`)).body.pagination?.total === 1);
    expect((await api('GET', `/webhooks/${id}`)).body.data.status).toBe('active');
    await publisher.publish(customerCreated(garage));

    const disabled = await recorder.next<{ webhookId: string; reason: string }>('webhook.disabled', (event) => event.data.webhookId === id);
    expect(disabled).toMatchObject({ garageId: garage.garageId, organisationId: garage.organisationId, source: 'webhooks' });
    expect(disabled.data.reason).toBe('2 consecutive deliveries failed');
    const webhook = (await api('GET', `/webhooks/${id}`)).body.data;
    expect(webhook).toMatchObject({ status: 'disabled', disabledReason: '2 consecutive deliveries failed', disabledAt: expect.any(String) });
    // the garage's other endpoints can subscribe to it, as to Svix's operational webhooks
    const [notice] = await waitFor(() => requestsTo('/operations').length === 1 && requestsTo('/operations'));
    expect(JSON.parse(notice?.body ?? '{}')).toMatchObject({ type: 'webhook.disabled', data: { webhookId: id, reason: '2 consecutive deliveries failed' } });

    // disabled: new events create no attempts. A witness endpoint subscribed to the same type
    // receives the event once its fan-out is done, and the fan-out stores the deliveries of every
    // endpoint at once: none for the disabled one means none will ever be sent
    const before = requestsTo('/streak').length;
    await createWebhook(api, { url: `${receiver.url}/witness`, events: ['customer.created'] });
    const event = customerCreated(garage);
    await publisher.publish(event);
    await waitFor(() => requestsTo('/witness').some((request) => request.headers['webhook-id'] === event.id));
    expect((await api('GET', `/webhooks/${id}/deliveries`)).body.data.map((d: { eventId: string }) => d.eventId)).not.toContain(event.id);
    expect(requestsTo('/streak')).toHaveLength(before);
    expect((await api('POST', `/webhooks/${id}/test`)).status).toBe(409);

    failing.delete('/streak');
    expect((await api('PATCH', `/webhooks/${id}`, { status: 'active' })).body.data.status).toBe('active');
    await publisher.publish(customerCreated(garage));
    await waitFor(() => requestsTo('/streak').length === before + 1);
    expect(recorder.ofType('webhook.disabled').filter((event) => (event.data as { webhookId: string }).webhookId === id)).toHaveLength(1);
  });

  it('when the endpoint answers 410 Gone, then it is disabled at once and the delivery is not retried', async () => {
    const api = apiFor(service, garage);
    const { id } = await createWebhook(api, { url: `${receiver.url}/gone`, events: ['customer.created'] });
    await publisher.publish(customerCreated(garage));

    await waitFor(async () => (await api('GET', `/webhooks/${id}`)).body.data.status === 'disabled');
    expect((await api('GET', `/webhooks/${id}`)).body.data.disabledReason).toBe('the endpoint answered 410 Gone');
    const [delivery] = (await api('GET', `/webhooks/${id}/deliveries`)).body.data;
    expect(delivery).toMatchObject({ status: 'failed', failureReason: 'endpoint_gone', attemptCount: 1 });
    // no retry: with a 50 ms schedule and a 50 ms poll one would go out within ~100 ms; 300 ms covers it
    await staysTrue(() => requestsTo('/gone').length === 1, 300);
  });

  it('when every attempt has failed for longer than the configured period, then the endpoint is disabled', async () => {
    const api = apiFor(periodService, garage);
    const { id } = await createWebhook(api, { url: `${receiver.url}/period`, events: ['customer.created'] });
    await periodPublisher.publish(customerCreated(garage));

    const webhook = await waitFor(async () => {
      const data = (await api('GET', `/webhooks/${id}`)).body.data;
      return data.status === 'disabled' && data;
    });
    expect(webhook.disabledReason).toMatch(/^every delivery attempt failed since \d{4}-/);
    // disabled by the first attempt made 400 ms or more after the first failure, not before
    const [delivery] = (await api('GET', `/webhooks/${id}/deliveries`)).body.data;
    const times = delivery.attempts.map((attempt: { at: string }) => Date.parse(attempt.at));
    expect(times.at(-1) - times[0]).toBeGreaterThanOrEqual(400);
    expect(times.at(-2) - times[0]).toBeLessThan(400);
  });
});

import type { EventBus } from '@pitlane/events';
import { testNames, waitFor } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, type Receiver } from './factories';

const garage = { garageId: 'gar_u1', organisationId: 'org_u' };

describe('webhooks: a restart in the middle of a backoff', () => {
  const restartNames = testNames(__filename);
  const env = { WEBHOOK_RETRY_SCHEDULE_MS: '1500', WEBHOOK_TIMEOUT_MS: '300' };
  let receiver: Receiver;
  let publisher: EventBus;
  let second: WebhooksService | undefined;

  beforeAll(async () => {
    [receiver, publisher] = await Promise.all([
      startReceiver((_request, index) => (index === 0 ? 'hang' : { status: 200 })),
      startPublisher(restartNames),
    ]);
  });

  afterAll(async () => {
    await cleanUp(restartNames, second ? [second] : [], [publisher]);
    await receiver.close();
  });

  it('when the service stops after a timed-out attempt and starts again, then the retry still comes on schedule', async () => {
    const first = await startTestService(restartNames, env);
    const api = apiFor(first, garage);
    const { id } = await createWebhook(api, { url: `${receiver.url}/restart` });
    await publisher.publish(customerCreated(garage));
    const pending = await waitFor(async () => {
      const [delivery] = (await api('GET', `/webhooks/${id}/deliveries`)).body.data ?? [];
      return delivery?.attempts.length === 1 && delivery;
    });
    expect(pending).toMatchObject({ status: 'pending', attempts: [expect.objectContaining({ error: 'timeout', status: null })] });
    await first.close();

    second = await startTestService(restartNames, env);
    await waitFor(() => receiver.requests.length === 2, { timeoutMs: 5000 });
    // the retry is due 1500 ms after the timed-out attempt ended: counted from the attempt as the API
    // records it (its start + its duration), not from when the receiver saw it (the connection and the
    // address check come between the two, tens of ms on a loaded machine)
    const timedOut = pending.attempts[0] as { at: string; durationMs: number };
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(300);
    expect(receiver.requests[1]?.at ?? 0).toBeGreaterThanOrEqual(Date.parse(timedOut.at) + timedOut.durationMs + 1500 - 1);
    const [done] = await waitFor(async () => {
      const list = (await apiFor(second as WebhooksService, garage)('GET', `/webhooks/${id}/deliveries`)).body.data;
      return list?.[0]?.status === 'succeeded' && list;
    });
    expect(done.attempts).toHaveLength(2);
  });
});

describe('webhooks: retention', () => {
  const retentionNames = testNames(`${__filename}-retention`);
  let service: WebhooksService;
  let publisher: EventBus;
  let receiver: Receiver;

  beforeAll(async () => {
    [service, publisher, receiver] = await Promise.all([
      startTestService(retentionNames, { WEBHOOK_RETENTION_MS: '400', WEBHOOK_PURGE_INTERVAL_MS: '100' }),
      startPublisher(retentionNames),
      startReceiver(),
    ]);
  });

  afterAll(async () => {
    await cleanUp(retentionNames, [service], [publisher]);
    await receiver.close();
  });

  it('when a finished delivery is older than the retention, then it leaves the history', async () => {
    const api = apiFor(service, garage);
    const { id } = await createWebhook(api, { url: `${receiver.url}/kept-briefly` });
    await publisher.publish(customerCreated(garage));
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=succeeded`)).body.pagination?.total === 1);

    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries`)).body.pagination?.total === 0, { timeoutMs: 3000 });
    expect(receiver.requests).toHaveLength(1);
  });
});

import type { EventBus } from '@pitlane/events';
import { testNames, waitFor } from '@pitlane/testing';

import type { DeliveryDoc } from '../src/data-access/models';
import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, staysTrue, type Receiver } from './factories';

const garage = { garageId: 'gar_r1', organisationId: 'org_r' };

/** Deliveries queued in a worker's memory behind a hanging attempt must not go out once their
 * endpoint was deleted or disabled (even if it was re-enabled meanwhile). */
describe('webhooks: deleted and disabled endpoints', () => {
  const names = testNames(__filename);
  let service: WebhooksService;
  let publisher: EventBus;
  let receiver: Receiver;
  let api: ReturnType<typeof apiFor>;
  /** paths whose requests hang (until the attempt times out) */
  const hanging = new Set<string>(['/deleted', '/disabled']);

  beforeAll(async () => {
    [service, publisher, receiver] = await Promise.all([
      // one attempt at a time per endpoint: a hanging receiver keeps its lane busy, the rest queue
      startTestService(names, { WEBHOOK_ENDPOINT_CONCURRENCY: '1', WEBHOOK_TIMEOUT_MS: '1000' }),
      startPublisher(names),
      startReceiver((request) => (hanging.has(request.path) ? 'hang' : { status: 200 })),
    ]);
    api = apiFor(service, garage);
  });

  afterAll(async () => {
    await receiver.close();
    await cleanUp(names, [service], [publisher]);
  });

  const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);

  /** One attempt hangs on the endpoint, three more deliveries wait behind it in the lane. */
  async function hangWithQueue(path: string, id: string): Promise<void> {
    await publisher.publish(customerCreated(garage));
    await waitFor(() => requestsTo(path).length === 1);
    for (let i = 0; i < 3; i++) await publisher.publish(customerCreated(garage));
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=pending`)).body.pagination?.total === 4);
    expect(requestsTo(path)).toHaveLength(1);
  }

  it('when an endpoint is deleted while deliveries wait behind a hanging attempt, then none of them is sent', async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url}/deleted`, events: ['customer.created'] });
    await hangWithQueue('/deleted', id);

    expect((await api('DELETE', `/webhooks/${id}`)).status).toBe(204);

    // the hanging attempt times out (1 s), its retry and the queued ones all end without a request
    const deliveries = service.connection.collection<DeliveryDoc>('deliveries');
    await waitFor(async () => (await deliveries.countDocuments({ webhookId: id, status: 'failed' })) === 4, { timeoutMs: 5000 });
    const docs = await deliveries.find({ webhookId: id }).toArray();
    expect(docs.map((doc) => doc.failureReason)).toEqual(Array(4).fill('endpoint_deleted'));
    expect(docs.map((doc) => doc.attemptCount).sort()).toEqual([0, 0, 0, 1]);
    // all four failed for good (never retried by themselves); a stray attempt would leave the
    // lane at once: the poll (50 ms) and the first retry delay (100 ms) lie well within 300 ms
    await staysTrue(() => requestsTo('/deleted').length === 1, 300);
  });

  it('when an endpoint is disabled and re-enabled while deliveries wait, then they are not sent, and new events are', async () => {
    const { id } = await createWebhook(api, { url: `${receiver.url}/disabled`, events: ['customer.created'] });
    await hangWithQueue('/disabled', id);

    expect((await api('PATCH', `/webhooks/${id}`, { status: 'disabled' })).body.data.status).toBe('disabled');
    hanging.delete('/disabled');
    // re-enabled before the queued deliveries reach the front of the lane: they stay cancelled
    expect((await api('PATCH', `/webhooks/${id}`, { status: 'active' })).body.data.status).toBe('active');

    const failed = await waitFor(
      async () => {
        const list = (await api('GET', `/webhooks/${id}/deliveries?status=failed`)).body;
        return list.pagination?.total === 4 && (list.data as { failureReason: string; attemptCount: number }[]);
      },
      { timeoutMs: 5000 },
    );
    expect(failed.map((delivery) => delivery.failureReason)).toEqual(Array(4).fill('endpoint_disabled'));
    expect(failed.map((delivery) => delivery.attemptCount).sort()).toEqual([0, 0, 0, 1]);
    expect(requestsTo('/disabled')).toHaveLength(1);

    const event = customerCreated(garage);
    await publisher.publish(event);
    await waitFor(() => requestsTo('/disabled').length === 2);
    expect(requestsTo('/disabled')[1]?.headers['webhook-id']).toBe(event.id);
    await waitFor(async () => (await api('GET', `/webhooks/${id}/deliveries?status=succeeded`)).body.pagination?.total === 1);
    // the cancelled deliveries stay unsent: a poll (50 ms) and a retry delay (100 ms) fit in 300 ms
    await staysTrue(() => requestsTo('/disabled').length === 2, 300);
    expect((await api('GET', `/webhooks/${id}/deliveries?status=pending`)).body.pagination?.total).toBe(0);
  });
});

import type { EventBus } from '@pitlane/events';
import { testNames, waitFor } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, type Receiver } from './factories';

const garage = { garageId: 'gar_o1', organisationId: 'org_o' };

describe('webhooks: a burst larger than the in-memory lane', () => {
  const names = testNames(__filename);
  let service: WebhooksService;
  let publisher: EventBus;
  let receiver: Receiver;

  beforeAll(async () => {
    [service, publisher, receiver] = await Promise.all([
      // two deliveries wait in memory per endpoint, one is sent at a time, and the poll interval is
      // far longer than the test: the rest of the burst waits in the database
      startTestService(names, { WEBHOOK_ENDPOINT_QUEUE_LIMIT: '2', WEBHOOK_ENDPOINT_CONCURRENCY: '1', WEBHOOK_POLL_INTERVAL_MS: '60000' }),
      startPublisher(names),
      startReceiver(() => ({ status: 204, delayMs: 10 })),
    ]);
  });

  afterAll(async () => {
    await receiver.close();
    await cleanUp(names, [service], [publisher]);
  });

  it('when the lane overflows, then the deliveries left in the database are sent as soon as it has room, not at the next poll, each once', async () => {
    await createWebhook(apiFor(service, garage), { url: `${receiver.url}/burst`, events: ['customer.created'] });
    const events = Array.from({ length: 20 }, () => customerCreated(garage));
    await Promise.all(events.map((event) => publisher.publish(event)));

    // a bound against hanging, far below the 60 s poll interval
    await waitFor(() => receiver.requests.length >= 20, { timeoutMs: 15_000 });
    expect(receiver.requests.map((request) => request.headers['webhook-id']).sort()).toEqual(events.map((event) => event.id).sort());
  });
});

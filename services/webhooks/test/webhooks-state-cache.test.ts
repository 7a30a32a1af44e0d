import type { EventBus } from '@pitlane/events';
import { testNames, waitFor } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, staysTrue, type Receiver } from './factories';

const garage = { garageId: 'gar_sc1', organisationId: 'org_sc' };
/** each instance trusts what it read of an endpoint's send state and of the garage's subscriptions this long */
const CACHE_MS = 500;

/** Two instances share the queue and the database, each caching the hot-path reads (issue 16): a
 * change made through one of them stops deliveries on both within WEBHOOK_STATE_CACHE_MS. */
describe('webhooks: send-state cache across instances', () => {
  const names = testNames(__filename);
  let services: WebhooksService[];
  let publisher: EventBus;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    const env = { WEBHOOK_STATE_CACHE_MS: String(CACHE_MS) };
    services = await Promise.all([startTestService(names, env), startTestService(names, env)]);
    publisher = await startPublisher(names);
  });

  afterAll(async () => {
    await cleanUp(names, services, [publisher]);
    await receiver.close();
  });

  const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);

  /** Events until both instances have fanned out (and so cached the endpoint) at least once. */
  async function warmBothCaches(path: string): Promise<void> {
    for (let i = 0; i < 10; i++) await publisher.publish(customerCreated(garage));
    await waitFor(() => requestsTo(path).length === 10);
  }

  it.each(['disabled', 'deleted'])('when an endpoint is %s through one instance, then neither instance sends to it once the cache bound has passed', async (change) => {
    const [first, second] = services as [WebhooksService, WebhooksService];
    const path = `/${change}`;
    const { id } = await createWebhook(apiFor(first, garage), { url: `${receiver.url}${path}`, events: ['customer.created'] });
    await warmBothCaches(path);

    const api = apiFor(second, garage);
    if (change === 'disabled') expect((await api('PATCH', `/webhooks/${id}`, { status: 'disabled' })).status).toBe(200);
    else expect((await api('DELETE', `/webhooks/${id}`)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, CACHE_MS + 50));
    const before = requestsTo(path).length;
    for (let i = 0; i < 10; i++) await publisher.publish(customerCreated(garage));

    // both instances have read the change by now; an event they still fanned out to the endpoint
    // would be sent within a poll (50 ms) of its publish: 500 ms after the last one covers it
    await staysTrue(() => requestsTo(path).length === before, 500);
  });
});

import type { EventBus } from '@pitlane/events';
import { testNames, waitFor } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, createWebhook, customerCreated, startPublisher, startReceiver, startTestService, type Receiver } from './factories';

const names = testNames(__filename);
const garage = { garageId: 'gar_x1', organisationId: 'org_x' };

describe('webhooks: SSRF guard (private targets not allowed)', () => {
  let service: WebhooksService;
  let publisher: EventBus;
  let receiver: Receiver;
  let api: ReturnType<typeof apiFor>;

  beforeAll(async () => {
    [service, publisher, receiver] = await Promise.all([
      startTestService(names, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_RETRY_SCHEDULE_MS: '50' }),
      startPublisher(names),
      startReceiver(),
    ]);
    api = apiFor(service, garage);
  });

  afterAll(async () => {
    await cleanUp(names, [service], [publisher]);
    await receiver.close();
  });

  it.each([
    ['http://127.0.0.1:8080/hook', '127.0.0.1'],
    ['http://10.0.0.1/hook', '10.0.0.1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://[::1]:8080/hook', '::1'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1'],
    ['https://100.64.1.1/hook', '100.64.1.1'],
    ['https://[fd00::1]/hook', 'fd00::1'],
  ])('when a subscription points at %s, then it is refused with 400', async (url, address) => {
    const response = await api('POST', '/webhooks', { url, events: ['*'] });
    expect(response.status).toBe(400);
    expect(response.body.error?.details).toEqual([
      { field: 'url', message: `must not point at a private or reserved address (${address})` },
    ]);
  });

  it('when a hostname resolves to loopback, then the delivery is refused at send time and nothing reaches the address', async () => {
    const port = new URL(receiver.url).port;
    const { id } = await createWebhook(api, { url: `http://localhost:${port}/ssrf`, events: ['customer.created'] });
    await publisher.publish(customerCreated(garage));

    const [delivery] = await waitFor(async () => {
      const list = (await api('GET', `/webhooks/${id}/deliveries`)).body.data;
      return list?.[0]?.status === 'failed' && list;
    });
    expect(delivery.attempts).toHaveLength(2);
    expect(delivery.attempts[0]).toMatchObject({ status: null, error: 'forbidden_address' });
    expect(delivery.attempts[0].errorMessage).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    expect(receiver.requests).toHaveLength(0);
  });
});

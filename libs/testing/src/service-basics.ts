import { signInternalToken } from '@pitlane/core';

import { deleteAmqpNames } from './amqp';
import { json } from './http';
import { infraUrls } from './infra';
import { testNames, type TestNames } from './names';
import { serviceEnv, TEST_INTERNAL_SECRET } from './service-env';

interface StartedService {
  url: string;
  connection: { dropDatabase(): Promise<unknown> };
  close(): Promise<void>;
}

/** What every Pitlane service owes a platform team, checked the same way for each: health,
 * readiness of its database and broker, metrics, and refusal of anything not from the gateway. */
export function describeServiceBasics(
  service: string,
  testFile: string,
  start: (env: NodeJS.ProcessEnv, names: TestNames) => Promise<StartedService>,
): void {
  const names = testNames(testFile);

  describe(`${service} service basics`, () => {
    let running: StartedService;

    beforeAll(async () => {
      running = await start(serviceEnv(names, service), names);
    });

    afterAll(async () => {
      await running.connection.dropDatabase();
      await running.close();
      await deleteAmqpNames(infraUrls().amqpUrl, names.exchange, []);
    });

    it('when it runs, then health, readiness (database and broker) and metrics answer', async () => {
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

      const ready = await fetch(`${running.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'ready',
        checks: { mongo: { status: 'up' }, rabbitmq: { status: 'up' }, draining: { status: 'up' } },
      });

      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      expect(metrics).toContain('http_requests_total');
      expect(metrics).toContain('outbox_backlog');
    });

    it('when a request does not come through the gateway, then it is refused with 401', async () => {
      const forged = await fetch(`${running.url}/api/v1/garages/g1/anything`, {
        headers: { 'x-pitlane-internal-token': 'forged' },
      });
      expect(forged.status).toBe(401);
      expect((await json(forged)).error?.code).toBe('INTERNAL_AUTH_INVALID');

      const missing = await fetch(`${running.url}/api/v1/garages/g1/anything`);
      expect(missing.status).toBe(401);
      expect((await json(missing)).error?.code).toBe('INTERNAL_AUTH_MISSING');
    });

    it('when the gateway token is valid, then the request reaches the routes', async () => {
      const token = signInternalToken(
        { organisationId: 'org1', keyId: 'k1', permission: 'read', garageId: 'g1', requestId: 'r1' },
        TEST_INTERNAL_SECRET,
      );
      const response = await fetch(`${running.url}/api/v1/garages/g1/no-such-resource`, {
        headers: { 'x-pitlane-internal-token': token, 'x-request-id': 'r1' },
      });
      expect(response.status).toBe(404);
      expect(await json(response)).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' }, requestId: 'r1' });
    });
  });
}

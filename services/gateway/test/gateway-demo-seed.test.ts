import { testNames } from '@pitlane/testing';

import { seedDemo } from '../src/data-access/demo-seed';
import type { GatewayService } from '../src/service';
import { provisioningFor, startEchoUpstream, startTestGateway, type EchoUpstream } from './factories';

const names = testNames(__filename);

describe('gateway: demo seed', () => {
  let gateway: GatewayService;
  let echo: EchoUpstream;

  beforeAll(async () => {
    echo = await startEchoUpstream();
    gateway = await startTestGateway(names, { BOOKINGS_URL: echo.url });
  });

  afterAll(async () => {
    await gateway.connection.dropDatabase();
    await gateway.close();
    await echo.close();
  });

  const call = (key: string, path: string, method = 'GET') =>
    fetch(`${gateway.url}/api/v1${path}`, { method, headers: { 'x-api-key': key } });

  it('when the seed runs twice, then it keeps the same tenants and the latest keys behave as documented', async () => {
    const first = await seedDemo(provisioningFor(gateway));
    const second = await seedDemo(provisioningFor(gateway));

    expect(second.organisationId).toBe(first.organisationId);
    expect(second.garages).toEqual(first.garages);
    expect(second.garages).toHaveLength(2);
    expect(second.keys.readWrite).not.toBe(first.keys.readWrite);
    expect((await call(first.keys.readWrite, '/garages')).status).toBe(401);

    const [london] = second.garages;
    expect((await call(second.keys.readWrite, '/garages')).status).toBe(200);
    expect((await call(second.keys.readWrite, `/garages/${london!.id}/customers`, 'POST')).status).toBe(200);
    expect((await call(second.keys.readOnly, `/garages/${london!.id}/customers`, 'POST')).status).toBe(403);
    expect((await call(second.otherOrganisation.key, `/garages/${london!.id}`)).status).toBe(404);
    expect((await call(second.otherOrganisation.key, `/garages/${second.otherOrganisation.garageId}`)).status).toBe(200);
    expect((await call(second.disabledOrganisation.key, '/garages')).status).toBe(402);
    const enterprise = await call(second.keys.readWrite, '/garages');
    expect(enterprise.headers.get('ratelimit-limit')).toBe('1000');
  });
});

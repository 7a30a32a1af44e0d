import { testNames } from '@pitlane/testing';

import { seedDemo } from '../src/application/seed-demo';
import { gatewayWithEcho, provisioningFor } from './factories';

const names = testNames(__filename);

describe('gateway: demo seed', () => {
  const running = gatewayWithEcho(names);

  const call = (key: string, path: string, method = 'GET') =>
    fetch(`${running.gateway.url}/api/v1${path}`, { method, headers: { 'x-api-key': key } });

  it('when the seed runs twice, then it keeps the same tenants and the latest keys behave as documented', async () => {
    const first = await seedDemo(provisioningFor(running.gateway));
    const second = await seedDemo(provisioningFor(running.gateway));

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

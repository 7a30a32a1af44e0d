import { json, testNames } from '@pitlane/testing';

import { consoleLogin, consoleUser } from './console-factories';
import { gatewayWithEcho, provisioningFor, tenant } from './factories';

const names = testNames(__filename);

describe('console: an owner sets the browser origins allowed to use the organisation’s keys (CORS)', () => {
  const running = gatewayWithEcho(names, { CONSOLE_JWT_SECRET: 'console-test-secret-at-least-32-characters' });

  it('when an owner puts an origin, then the console shows it and the API answers that origin for the organisation’s keys at once', async () => {
    const { rawKey } = await tenant(provisioningFor(running.gateway), 'org_cors');
    const owner = await consoleUser(running.gateway, 'org_cors', 'owner');
    const { call } = await consoleLogin(running.gateway, owner.email, owner.password);
    const api = () => fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-api-key': rawKey, origin: 'https://shop.cors.example' } });

    expect((await json(await call('/settings/cors'))).data).toEqual({ allowedOrigins: [] });
    expect((await api()).headers.get('access-control-allow-origin')).toBeNull();

    const put = await call('/settings/cors', { method: 'PUT', body: { allowedOrigins: ['https://shop.cors.example'] } });
    expect(put.status).toBe(200);
    expect((await json(put)).data).toEqual({ allowedOrigins: ['https://shop.cors.example'] });
    expect((await json(await call('/settings/cors'))).data).toEqual({ allowedOrigins: ['https://shop.cors.example'] });
    // the key cache was told to forget the organisation: the next call sees the new origins
    const after = await api();
    expect(after.status).toBe(200);
    expect(after.headers.get('access-control-allow-origin')).toBe('https://shop.cors.example');
  });

  it('when an origin is not scheme://host, then 400 naming it; when an admin (not owner) tries, then 403', async () => {
    await tenant(provisioningFor(running.gateway), 'org_cors_bad');
    const ownerUser = await consoleUser(running.gateway, 'org_cors_bad', 'owner');
    const { call } = await consoleLogin(running.gateway, ownerUser.email, ownerUser.password);
    const bad = await call('/settings/cors', { method: 'PUT', body: { allowedOrigins: ['https://ok.example', 'http://plain.example', 'https://x.example/path'] } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error?.details?.map((d) => d.field)).toEqual(['allowedOrigins[1]', 'allowedOrigins[2]']);

    const admin = await consoleUser(running.gateway, 'org_cors_bad', 'admin');
    const asAdmin = await consoleLogin(running.gateway, admin.email, admin.password);
    const refused = await asAdmin.call('/settings/cors', { method: 'PUT', body: { allowedOrigins: [] } });
    expect(refused.status).toBe(403);
  });
});

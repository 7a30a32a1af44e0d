import { json, testNames, waitFor } from '@pitlane/testing';

import { consoleLogin, consoleUser } from './console-factories';
import { gatewayWithEcho, provisioningFor, tenant } from './factories';

const names = testNames(__filename);

describe('console API: organisation admins manage their keys and see usage', () => {
  const running = gatewayWithEcho(names, { AUDIT_FLUSH_MS: '50', CONSOLE_JWT_SECRET: 'console-test-secret-at-least-32-characters', CONSOLE_LOGIN_FAILS_PER_ACCOUNT: '3' });

  it('when an owner logs in, then they get a short-lived token, their organisation, and an httpOnly SameSite=Strict refresh cookie', async () => {
    await tenant(provisioningFor(running.gateway), 'org_login');
    const owner = await consoleUser(running.gateway, 'org_login', 'owner');

    const { response, body } = await consoleLogin(running.gateway, owner.email.toUpperCase(), owner.password);

    expect(response.status).toBe(200);
    expect(body.data).toMatchObject({ expiresIn: 900, user: { email: owner.email, role: 'owner', organisation: { id: 'org_login', apiAccessEnabled: true } } });
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^pitlane_console_refresh=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('when logins fail repeatedly, then the account locks and even the right password reads like a wrong one', async () => {
    await tenant(provisioningFor(running.gateway), 'org_throttle');
    const owner = await consoleUser(running.gateway, 'org_throttle', 'owner');
    const unknown = await consoleLogin(running.gateway, 'nobody@nowhere.example', 'x');
    for (let i = 0; i < 3; i++) expect((await consoleLogin(running.gateway, owner.email, 'wrong-password')).response.status).toBe(401);

    const locked = await consoleLogin(running.gateway, owner.email, owner.password);

    expect(locked.response.status).toBe(401);
    expect(locked.body).toMatchObject({ success: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect((unknown.body as { error?: unknown }).error).toEqual((locked.body as { error?: unknown }).error);
  });

  it('when a refresh token is used, then it is rotated; when the old one is replayed, then the whole family is revoked', async () => {
    await tenant(provisioningFor(running.gateway), 'org_refresh');
    const owner = await consoleUser(running.gateway, 'org_refresh', 'owner');
    const { cookie } = await consoleLogin(running.gateway, owner.email, owner.password);
    const refresh = (c: string | undefined) => fetch(`${running.gateway.url}/console/api/auth/refresh`, { method: 'POST', headers: { cookie: c ?? '' } });

    const first = await refresh(cookie);
    expect(first.status).toBe(200);
    expect((await json(first)).data.accessToken).toEqual(expect.any(String));
    const rotated = first.headers.getSetCookie()[0]?.split(';')[0];
    expect(rotated).not.toEqual(cookie);

    expect((await refresh(cookie)).status).toBe(401); // replay of the used token
    const afterReuse = await refresh(rotated);
    expect(afterReuse.status).toBe(401); // the thief's replay killed the user's newer token too
    expect((await json(afterReuse)).error?.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('when an owner creates a key and calls the API with it, then the usage counts move; rotate and revoke work at once', async () => {
    const { garageId } = await tenant(provisioningFor(running.gateway), 'org_keys');
    const owner = await consoleUser(running.gateway, 'org_keys', 'owner');
    const { call } = await consoleLogin(running.gateway, owner.email, owner.password);

    const created = await json(await call('/keys', { method: 'POST', body: { name: 'Fleet app', permission: 'read' } }));
    expect(created.data).toMatchObject({ key: { name: 'Fleet app', permission: 'read', status: 'active' }, rawKey: expect.stringMatching(/^pl_live_/) });
    const rawKey = created.data.rawKey as string;
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${running.gateway.url}/api/v1/garages/${garageId}/customers`, { headers: { 'x-api-key': rawKey } })).status).toBe(200);
    }
    expect((await fetch(`${running.gateway.url}/api/v1/garages/gar_nope`, { headers: { 'x-api-key': rawKey } })).status).toBe(404);

    const overview = await waitFor(async () => {
      const data = (await json(await call('/usage/overview'))).data;
      return data.totalRequests >= 4 ? data : undefined;
    });
    expect(overview).toMatchObject({ totalRequests: 4, errors: 1, errorRate: 0.25 });
    expect(overview.latencyMs.p50).toBeGreaterThan(0);
    const list = (await json(await call('/keys'))).data;
    const listed = list.items.find((k: { id: string }) => k.id === created.data.key.id);
    expect(listed).toMatchObject({ prefix: expect.stringMatching(/^pl_live_/), usage: { requests30d: 4, lifetimeRequests: 4, errors30d: 1, methods30d: { GET: 4 } } });
    expect(listed).not.toHaveProperty('keyHash');
    expect(list).toMatchObject({ activeKeys: 2, maxActiveKeys: 10 });
    const usage = (await json(await call(`/keys/${created.data.key.id}/usage`))).data;
    expect(usage.endpoints).toEqual(expect.arrayContaining([expect.objectContaining({ method: 'GET', route: '/api/v1/garages/:garageId/customers', requests: 3 })]));
    expect(usage.daily.at(-1)).toMatchObject({ requests: 4, errors: 1 });
    const analytics = (await json(await call('/usage/analytics'))).data;
    expect(analytics.recentErrors).toEqual([expect.objectContaining({ status: 404, code: 'RESOURCE_NOT_FOUND', count: 1 })]);
    expect(analytics.garages).toEqual(expect.arrayContaining([expect.objectContaining({ garageId, count: 3, errors: 0 })]));
    const audit = await json(await call(`/audit?keyId=${created.data.key.id}&status=404`));
    expect(audit.data).toMatchObject({ nextCursor: null, items: [{ status: 404, route: expect.any(String), errorCode: 'RESOURCE_NOT_FOUND' }] });
    const unknownFilter = await json(await call('/audit?method=GET'));
    expect(unknownFilter.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'method' })] });

    const rotated = await json(await call(`/keys/${created.data.key.id}/rotate`, { method: 'POST', body: {} }));
    const newKey = rotated.data.rawKey as string;
    expect((await fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-api-key': newKey } })).status).toBe(200);
    await waitFor(async () => (await fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-api-key': rawKey } })).status === 401, { timeoutMs: 1_000 });

    expect((await call(`/keys/${rotated.data.key.id}/revoke`, { method: 'POST' })).status).toBe(200);
    await waitFor(async () => (await fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-api-key': newKey } })).status === 401, { timeoutMs: 1_000 });
    const after = (await json(await call('/keys'))).data.items;
    expect(after.map((k: { status: string }) => k.status)).toEqual(['active', 'revoked', 'revoked']);
  });

  it('when the organisation has no API add-on, then login works and key actions answer 402 API_ACCESS_DISABLED', async () => {
    await tenant(provisioningFor(running.gateway), 'org_noaddon', { apiAccessEnabled: false });
    const owner = await consoleUser(running.gateway, 'org_noaddon', 'owner');
    const { response, body, call } = await consoleLogin(running.gateway, owner.email, owner.password);
    expect(response.status).toBe(200);
    expect(body.data).toMatchObject({ user: { organisation: { apiAccessEnabled: false } } });

    for (const result of [await call('/keys'), await call('/keys', { method: 'POST', body: { name: 'x', permission: 'read' } })]) {
      expect(result.status).toBe(402);
      expect((await json(result)).error?.code).toBe('API_ACCESS_DISABLED');
    }
  });

  it('when a viewer tries to change keys or another organisation’s key is named, then 403 and 404', async () => {
    const mine = await tenant(provisioningFor(running.gateway), 'org_scope_a');
    const theirs = await tenant(provisioningFor(running.gateway), 'org_scope_b');
    const viewer = await consoleUser(running.gateway, 'org_scope_a', 'viewer');
    const owner = await consoleUser(running.gateway, 'org_scope_a', 'owner');
    const asViewer = await consoleLogin(running.gateway, viewer.email, viewer.password);
    const asOwner = await consoleLogin(running.gateway, owner.email, owner.password);

    expect((await asViewer.call('/keys')).status).toBe(200);
    const denied = await asViewer.call('/keys', { method: 'POST', body: { name: 'x', permission: 'read' } });
    expect(denied.status).toBe(403);
    expect((await asViewer.call(`/keys/${mine.keyId}/revoke`, { method: 'POST' })).status).toBe(403);
    expect((await asViewer.call('/users', { method: 'POST', body: { email: 'a@b.example', role: 'viewer' } })).status).toBe(403);

    for (const path of [`/keys/${theirs.keyId}/revoke`, `/keys/${theirs.keyId}/rotate`]) {
      const result = await asOwner.call(path, { method: 'POST', body: {} });
      expect(result.status).toBe(404);
    }
    expect((await asOwner.call(`/keys/${theirs.keyId}/usage`)).status).toBe(404);
    const listed = (await json(await asOwner.call('/keys'))).data.items.map((k: { id: string }) => k.id);
    expect(listed).toEqual([mine.keyId]);
    expect((await fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-api-key': theirs.rawKey } })).status).toBe(200);
  });

  it('when an owner invites a user, then the one-time password logs them in; bad input is a 400 in the envelope', async () => {
    await tenant(provisioningFor(running.gateway), 'org_invite');
    const owner = await consoleUser(running.gateway, 'org_invite', 'owner');
    const { call } = await consoleLogin(running.gateway, owner.email, owner.password);

    const invited = await json(await call('/users', { method: 'POST', body: { email: 'new.admin@org-invite.example', role: 'admin' } }));
    expect(invited.data).toMatchObject({ user: { email: 'new.admin@org-invite.example', role: 'admin', mustChangePassword: true } });
    const asAdmin = await consoleLogin(running.gateway, 'new.admin@org-invite.example', invited.data.oneTimePassword);
    expect(asAdmin.response.status).toBe(200);
    // admins manage keys but do not invite: only owners do
    expect((await asAdmin.call('/users', { method: 'POST', body: { email: 'x@org-invite.example', role: 'viewer' } })).status).toBe(403);
    const users = (await json(await call('/users'))).data;
    expect(users).toHaveLength(2);
    expect(JSON.stringify(users)).not.toMatch(/passwordHash|argon2/);

    const bad = await call('/keys', { method: 'POST', body: { name: '', permission: 'admin' } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error?.details?.map((d) => d.field).sort()).toEqual(['name', 'permission']);
    expect((await fetch(`${running.gateway.url}/console/api/keys`)).status).toBe(401);
  });
});

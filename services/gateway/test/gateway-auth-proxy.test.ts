import { verifyInternalToken } from '@pitlane/core';
import { json, testNames, TEST_INTERNAL_SECRET } from '@pitlane/testing';

import type { Provisioning } from '../src/application/provisioning';
import type { GatewayService } from '../src/service';
import { provisioningFor, startEchoUpstream, startTestGateway, type EchoUpstream } from './factories';

const names = testNames(__filename);

describe('gateway: API keys, garage scope and proxying', () => {
  let gateway: GatewayService;
  let echo: EchoUpstream;
  let slow: EchoUpstream;
  let provisioning: Provisioning;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    echo = await startEchoUpstream();
    slow = await startEchoUpstream(1_000);
    gateway = await startTestGateway(names, {
      BOOKINGS_URL: echo.url,
      INVENTORY_URL: slow.url,
      BILLING_URL: echo.url,
      WEBHOOKS_URL: 'http://127.0.0.1:1', // nothing listens there
      UPSTREAM_TIMEOUT_MS: '300',
      BODY_LIMIT_BYTES: '2048',
      UPLOAD_LIMIT_BYTES: '8192',
    });
    provisioning = provisioningFor(gateway);
    await provisioning.upsertOrganisation({ _id: 'org_a', name: 'A', apiAccessEnabled: true });
    await provisioning.upsertOrganisation({ _id: 'org_b', name: 'B', apiAccessEnabled: true });
    await provisioning.upsertOrganisation({ _id: 'org_off', name: 'No add-on', apiAccessEnabled: false });
    for (const [id, org] of [['gar_a1', 'org_a'], ['gar_a2', 'org_a'], ['gar_b1', 'org_b'], ['gar_off', 'org_off']] as const) {
      await provisioning.upsertGarage({ _id: id, organisationId: org, name: id, timezone: 'Europe/London', currency: 'GBP' });
    }
    keys.write = (await provisioning.createKey({ organisationId: 'org_a', name: 'w', permission: 'read_write' })).rawKey;
    keys.read = (await provisioning.createKey({ organisationId: 'org_a', name: 'r', permission: 'read' })).rawKey;
    keys.subset = (
      await provisioning.createKey({ organisationId: 'org_a', name: 's', permission: 'read', garageIds: ['gar_a2'] })
    ).rawKey;
    keys.expired = (
      await provisioning.createKey({ organisationId: 'org_a', name: 'e', permission: 'read', expiresAt: new Date(Date.now() - 1000) })
    ).rawKey;
    const revoked = await provisioning.createKey({ organisationId: 'org_a', name: 'gone', permission: 'read' });
    keys.revoked = revoked.rawKey;
    await provisioning.revokeKey(revoked.key._id);
    keys.off = (await provisioning.createKey({ organisationId: 'org_off', name: 'o', permission: 'read' })).rawKey;
  });

  afterAll(async () => {
    await gateway.connection.dropDatabase();
    await gateway.close();
    await echo.close();
    await slow.close();
  });

  const call = (path: string, key: string | undefined, init: RequestInit = {}) =>
    fetch(`${gateway.url}/api/v1${path}`, {
      ...init,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(init.headers as Record<string, string> | undefined) },
    });

  it('when no key, a wrong key, a revoked or an expired key is sent, then 401 with the matching code', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'API_KEY_MISSING'],
      ['pl_live_' + 'x'.repeat(40), 'API_KEY_INVALID'],
      ['nonsense', 'API_KEY_INVALID'],
      [keys.revoked, 'API_KEY_REVOKED'],
      [keys.expired, 'API_KEY_EXPIRED'],
    ];
    for (const [key, code] of cases) {
      const response = await call('/garages', key);
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ success: false, error: { type: 'AuthenticationError', code } });
    }
  });

  it('when the organisation has no API add-on, then 402 API_ACCESS_DISABLED', async () => {
    const response = await call('/garages', keys.off);
    expect(response.status).toBe(402);
    expect((await json(response)).error?.code).toBe('API_ACCESS_DISABLED');
  });

  it('when a key lists garages, then it sees its organisation (or its subset) only; others are 404', async () => {
    const all = await json(await call('/garages', keys.write));
    expect(all.data.map((g: { id: string }) => g.id)).toEqual(['gar_a1', 'gar_a2']);
    expect(all.pagination).toEqual({ page: 1, limit: 20, total: 2, totalPages: 1, hasMore: false });
    // page and limit are honoured like on every other list; an unknown parameter is refused
    const second = await json(await call('/garages?limit=1&page=2', keys.write));
    expect([second.data.map((g: { id: string }) => g.id), second.pagination]).toEqual([['gar_a2'], { page: 2, limit: 1, total: 2, totalPages: 2, hasMore: false }]);
    const unknown = await json(await call('/garages?per_page=1', keys.write));
    expect(unknown.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'per_page' })] });

    const bearer = await fetch(`${gateway.url}/api/v1/garages`, { headers: { authorization: `Bearer ${keys.subset}` } });
    expect((await json(bearer)).data.map((g: { id: string }) => g.id)).toEqual(['gar_a2']);

    expect((await call('/garages/gar_a1', keys.subset)).status).toBe(404);
    const foreign = await call('/garages/gar_b1', keys.write);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(await json(foreign))).not.toContain('org_b');
    expect((await call('/garages/gar_b1/bookings', keys.write)).status).toBe(404);
    expect(echo.seen).toHaveLength(0);
  });

  it('when a read-only key writes, then 403 INSUFFICIENT_PERMISSION and nothing reaches the service', async () => {
    const response = await call('/garages/gar_a1/customers', keys.read, { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
    expect((await json(response)).error?.code).toBe('INSUFFICIENT_PERMISSION');
    expect(echo.seen).toHaveLength(0);
  });

  it('when a partner calls a garage resource, then it is proxied with a signed token, the request id and no client internals', async () => {
    const response = await call('/garages/gar_a1/customers?page=2', keys.write, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'partner-req-1',
        'x-pitlane-internal-token': 'forged-by-client',
      },
      body: JSON.stringify({ firstName: 'Ada' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('partner-req-1');
    expect((await json(response)).data).toEqual({
      method: 'POST',
      url: '/api/v1/garages/gar_a1/customers?page=2',
      body: '{"firstName":"Ada"}',
    });
    const headers = echo.seen.at(-1)!.headers;
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers['x-request-id']).toBe('partner-req-1');
    const claims = verifyInternalToken(String(headers['x-pitlane-internal-token']), TEST_INTERNAL_SECRET);
    expect(claims).toMatchObject({
      organisationId: 'org_a',
      permission: 'read_write',
      garageId: 'gar_a1',
      garage: { name: 'gar_a1', timezone: 'Europe/London', currency: 'GBP' },
    });
    // the request id travels in X-Request-Id, so the token can serve the principal's next requests too
    expect(claims.requestId).toBeUndefined();
  });

  it('when a customer answers an estimate on the public link, then it reaches billing without a key or token', async () => {
    const response = await fetch(`${gateway.url}/api/v1/public/estimates/tok_abc/approve`, {
      method: 'POST',
      headers: { 'x-api-key': keys.write!, 'x-pitlane-internal-token': 'forged' },
    });
    expect(response.status).toBe(200);
    expect((await json(response)).data).toMatchObject({ method: 'POST', url: '/api/v1/public/estimates/tok_abc/approve' });
    const headers = echo.seen.at(-1)!.headers;
    expect(headers['x-pitlane-internal-token']).toBeUndefined();
    expect(headers['x-api-key']).toBeUndefined();
    expect(response.headers.get('ratelimit-policy')).toBe('"minute";q=30;w=60');

    expect((await fetch(`${gateway.url}/api/v1/public/invoices/x`)).status).toBe(404);
  });

  it('when the resource is unknown, then 404 ROUTE_NOT_FOUND', async () => {
    const response = await call('/garages/gar_a1/spaceships', keys.write);
    expect(response.status).toBe(404);
    expect((await json(response)).error?.code).toBe('ROUTE_NOT_FOUND');
  });

  it('when the body is over the limit, then 413 before anything is proxied', async () => {
    const before = echo.seen.length;
    const response = await call('/garages/gar_a1/customers', keys.write, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'x'.repeat(4096) }),
    });
    expect(response.status).toBe(413);
    expect((await json(response)).error?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(echo.seen).toHaveLength(before);

    const upload = await call('/garages/gar_a1/bookings/b1/attachments', keys.write, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' }, // the gateway checks the type, the service the parts
      body: 'x'.repeat(4096),
    });
    expect(upload.status).toBe(200); // uploads have their own, larger limit
    const tooBig = await call('/garages/gar_a1/bookings/b1/attachments', keys.write, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: 'x'.repeat(9000),
    });
    expect(tooBig.status).toBe(413);
  });

  it('when the service is down or too slow, then 503 SERVICE_UNAVAILABLE or 504 UPSTREAM_TIMEOUT in the envelope', async () => {
    const down = await call('/garages/gar_a1/webhooks', keys.write, { headers: { 'x-request-id': 'down-1' } });
    expect(down.status).toBe(503);
    expect(await json(down)).toMatchObject({
      success: false,
      error: { type: 'ServiceUnavailableError', code: 'SERVICE_UNAVAILABLE' },
      requestId: 'down-1',
    });

    const timedOut = await call('/garages/gar_a1/inventory', keys.write);
    expect(timedOut.status).toBe(504);
    expect((await json(timedOut)).error?.code).toBe('UPSTREAM_TIMEOUT');
  });

  it('when the gateway runs, then health and readiness answer without a key, and metrics only on the internal port', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { mongo: { status: 'up' }, redis: { status: 'up' } } });
    const publicMetrics = await fetch(`${gateway.url}/metrics`);
    expect(publicMetrics.status).toBe(404);
    expect((await json(publicMetrics)).error?.code).toBe('ROUTE_NOT_FOUND');
    expect(gateway.metricsUrl).not.toBe(gateway.url);
    expect(await (await fetch(`${gateway.metricsUrl}/metrics`)).text()).toContain('http_request_duration_seconds');
  });
});

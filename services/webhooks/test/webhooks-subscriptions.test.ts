import { generateOpenApiDocument } from '@pitlane/core';
import { testNames } from '@pitlane/testing';

import type { WebhooksService } from '../src/service';
import { apiFor, cleanUp, startTestService } from './factories';

const names = testNames(__filename);
const httpsNames = testNames(`${__filename}-https`);
const garage = { garageId: 'gar_s1', organisationId: 'org_s' };
const sameOrgGarage = { garageId: 'gar_s2', organisationId: 'org_s' };

describe('webhooks: subscriptions', () => {
  let service: WebhooksService;
  let httpsOnly: WebhooksService;
  let api: ReturnType<typeof apiFor>;

  beforeAll(async () => {
    [service, httpsOnly] = await Promise.all([
      startTestService(names),
      startTestService(httpsNames, { WEBHOOK_REQUIRE_HTTPS: 'true' }),
    ]);
    api = apiFor(service, garage);
  });

  afterAll(async () => {
    await Promise.all([cleanUp(names, [service]), cleanUp(httpsNames, [httpsOnly])]);
  });

  it('when a subscription is created, then it comes back with a whsec_ secret of at least 24 random bytes, shown only this once', async () => {
    const created = await api('POST', '/webhooks', {
      url: 'https://partner.example.com/hooks',
      events: ['booking.created', 'invoice.paid', 'booking.created'],
      description: 'ERP sync',
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      id: expect.any(String),
      url: 'https://partner.example.com/hooks',
      events: ['booking.created', 'invoice.paid'],
      description: 'ERP sync',
      status: 'active',
      disabledReason: null,
      rateLimit: null,
    });
    const secret = created.body.data.secret as string;
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    // at rest the secret is encrypted with the current key (WEBHOOK_SECRETS_KEYS), never stored as shown
    const stored = await service.connection.collection('webhooks').findOne({ _id: created.body.data.id });
    expect(String(stored?.secret)).toMatch(/^enc:v2:test1:/);
    expect(String(stored?.secret)).not.toContain(secret.slice(6));
    const fetched = await api('GET', `/webhooks/${created.body.data.id}`);
    expect(fetched.body.data.secret).toBeUndefined();
    const list = await api('GET', '/webhooks');
    expect(list.body.data.map((webhook: { id: string }) => webhook.id)).toContain(created.body.data.id);
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(6));
  });

  it('when the body is invalid, then it is a 400 listing each problem', async () => {
    const unknown = await api('POST', '/webhooks', { url: 'https://a.example.com', events: ['booking.created', 'booking.exploded'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      type: 'ValidationError',
      code: 'VALIDATION_FAILED',
      details: [{ field: 'events.1', message: 'unknown event type "booking.exploded"' }],
    });

    const bad = await api('POST', '/webhooks', { url: 'ftp://files.example.com/x', events: [], extra: 1 });
    expect(bad.status).toBe(400);
    const fields = bad.body.error?.details?.map((detail) => detail.field).sort();
    expect(fields).toEqual(['(body)', 'events', 'url']);

    const credentials = await api('POST', '/webhooks', { url: 'https://user:pw@a.example.com', events: ['*'] });
    expect(credentials.body.error?.details).toEqual([{ field: 'url', message: 'must not contain credentials' }]);

    const testAndStar = await api('POST', '/webhooks', { url: 'https://a.example.com', events: ['*', 'webhook.test'] });
    expect(testAndStar.status).toBe(201);
  });

  it('when https is required by configuration, then an http URL is refused', async () => {
    const httpsApi = apiFor(httpsOnly, garage);
    const refused = await httpsApi('POST', '/webhooks', { url: 'http://partner.example.com/hooks', events: ['*'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.details).toEqual([{ field: 'url', message: 'must use https' }]);
    expect((await httpsApi('POST', '/webhooks', { url: 'https://partner.example.com/hooks', events: ['*'] })).status).toBe(201);
  });

  it('when a subscription is patched, disabled, re-enabled and deleted, then each change shows and a deleted one is 404', async () => {
    const { body } = await api('POST', '/webhooks', { url: 'https://b.example.com/h', events: ['*'] });
    const id = body.data.id as string;

    const patched = await api('PATCH', `/webhooks/${id}`, { events: ['customer.created'], description: null, rateLimit: 5 });
    expect(patched.body.data).toMatchObject({ events: ['customer.created'], description: null, rateLimit: 5 });
    const disabled = await api('PATCH', `/webhooks/${id}`, { status: 'disabled' });
    expect(disabled.body.data).toMatchObject({ status: 'disabled', disabledReason: 'disabled by the partner' });
    expect((await api('GET', '/webhooks?status=disabled')).body.data.map((webhook: { id: string }) => webhook.id)).toEqual([id]);
    expect((await api('GET', '/webhooks?status=paused')).status).toBe(400);
    const enabled = await api('PATCH', `/webhooks/${id}`, { status: 'active' });
    expect(enabled.body.data).toMatchObject({ status: 'active', disabledReason: null, disabledAt: null });
    expect((await api('PATCH', `/webhooks/${id}`, {})).status).toBe(400);
    expect((await api('PATCH', `/webhooks/${id}`, { status: 'paused' })).status).toBe(400);

    expect((await api('DELETE', `/webhooks/${id}`)).status).toBe(204);
    expect((await api('GET', `/webhooks/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/webhooks/${id}`)).status).toBe(404);
    expect((await api('POST', `/webhooks/${id}/rotate-secret`)).status).toBe(404);
  });

  it("when another garage asks for a subscription, then it is a 404 and its list does not show it", async () => {
    const { body } = await api('POST', '/webhooks', { url: 'https://c.example.com/h', events: ['*'] });
    const other = apiFor(service, sameOrgGarage);

    expect((await other('GET', `/webhooks/${body.data.id}`)).status).toBe(404);
    expect((await other('PATCH', `/webhooks/${body.data.id}`, { status: 'disabled' })).status).toBe(404);
    expect((await other('DELETE', `/webhooks/${body.data.id}`)).status).toBe(404);
    expect((await other('POST', `/webhooks/${body.data.id}/test`)).status).toBe(404);
    const list = await other('GET', '/webhooks');
    expect(list.body.pagination?.total).toBe(0);
    expect((await api('GET', `/webhooks/${body.data.id}`)).body.data.status).toBe('active');
  });

  it('when a read-only key writes, then it is a 403, and lists are paginated within limits', async () => {
    const readOnly = apiFor(service, garage, 'read');
    expect((await readOnly('POST', '/webhooks', { url: 'https://d.example.com', events: ['*'] })).status).toBe(403);
    expect((await readOnly('GET', '/webhooks?limit=1')).body.pagination).toMatchObject({ page: 1, limit: 1, hasMore: true });
    expect((await readOnly('GET', '/webhooks?limit=101')).status).toBe(400);
    expect((await readOnly('GET', '/webhooks?sort=secret')).status).toBe(400);
  });

  it('when the OpenAPI document is generated, then every webhooks path is in it with its request body', () => {
    const document = generateOpenApiDocument({ title: 'Pitlane', version: '1.0.0' });
    const paths = Object.keys(document.paths ?? {}).filter((path) => path.includes('/webhooks'));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/garages/{garageId}/webhooks',
        '/garages/{garageId}/webhooks/{wid}',
        '/garages/{garageId}/webhooks/{wid}/deliveries/{did}/retry',
        '/garages/{garageId}/webhooks/{wid}/recover',
      ]),
    );
    expect(JSON.stringify(document.paths?.['/garages/{garageId}/webhooks']?.post?.requestBody)).toContain('events');
  });

  it('when a partner syncs with updatedSince or filters by creation time, then only those subscriptions come back; an unknown parameter is a 400 naming it', async () => {
    const syncing = apiFor(service, { garageId: 'gar_s_sync', organisationId: 'org_s' });
    const first = (await syncing('POST', '/webhooks', { url: 'https://partner.example.com/first', events: ['booking.created'] })).body.data.id as string;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = (await syncing('POST', '/webhooks', { url: 'https://partner.example.com/second', events: ['booking.created'] })).body.data.id as string;
    const ids = async (query: string) => ((await syncing('GET', `/webhooks?${query}`)).body.data as { id: string }[]).map((w) => w.id);

    expect(await ids(`updatedSince=${encodeURIComponent(since)}`)).toEqual([second]);
    expect(await ids(`createdTo=${encodeURIComponent(since)}`)).toEqual([first]);
    expect(await ids(`createdFrom=${encodeURIComponent(since)}&sort=createdAt`)).toEqual([second]);
    await syncing('PATCH', `/webhooks/${first}`, { description: 'changed' });
    expect(await ids(`updatedSince=${encodeURIComponent(since)}&sort=createdAt`)).toEqual([first, second]);

    const unknown = await syncing('GET', '/webhooks?updatedAfter=2026-01-01');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'updatedAfter' })] });
    expect((await syncing('GET', '/webhooks?updatedSince=yesterday')).body.error?.details?.[0]?.field).toBe('updatedSince');
  });
});

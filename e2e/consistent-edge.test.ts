import { json, serviceEnv, testNames } from '@pitlane/testing';

import { readConfig as bookingsConfig } from '../services/bookings/src/config';
import { startBookings } from '../services/bookings/src/service';
import { readConfig as gatewayConfig } from '../services/gateway/src/config';
import { startGateway } from '../services/gateway/src/service';

/** Issue 11, "one consistent API", as a partner meets it through the gateway in front of the real
 * bookings service: 405 with Allow, Idempotency-Key, the seed's short paths, the 401 message, no
 * internal header, CORS per organisation. */
const names = testNames(__filename);

describe('one consistent API at the edge', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let bookings: Awaited<ReturnType<typeof startBookings>>;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    bookings = await startBookings(bookingsConfig(serviceEnv(names, 'bookings')), { queue: `${names.queuePrefix}bookings`, relayPollIntervalMs: 50 });
    gateway = await startGateway(gatewayConfig(serviceEnv(names, 'gateway', { BOOKINGS_URL: bookings.url })));
    const p = gateway.context.provisioning;
    for (const org of ['org_one', 'org_two']) {
      await p.upsertOrganisation({ _id: org, name: `Org ${org}`, tier: 'enterprise', apiAccessEnabled: true });
      await p.upsertGarage({ _id: `gar_${org}_a`, organisationId: org, name: `${org} Leeds`, timezone: 'Europe/London', currency: 'GBP' });
    }
    await p.upsertGarage({ _id: 'gar_org_two_b', organisationId: 'org_two', name: 'org_two York', timezone: 'Europe/London', currency: 'GBP' });
    keys.one = (await p.createKey({ organisationId: 'org_one', name: 'all', permission: 'read_write' })).rawKey;
    keys.twoAll = (await p.createKey({ organisationId: 'org_two', name: 'all', permission: 'read_write' })).rawKey;
    keys.twoYork = (await p.createKey({ organisationId: 'org_two', name: 'york', permission: 'read_write', garageIds: ['gar_org_two_b'] })).rawKey;
  }, 60_000);

  afterAll(async () => {
    await gateway.connection.dropDatabase();
    await gateway.close();
    await bookings.connection.dropDatabase();
    await bookings.close();
  });

  const call = (key: string | null, path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}/api/v1${path}`, {
      ...init,
      headers: { ...(key ? { 'x-api-key': key } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
  const post = (key: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(key, path, { method: 'POST', body: JSON.stringify(body), headers });

  describe('405 METHOD_NOT_ALLOWED', () => {
    it.each([
      ['DELETE', '/garages/gar_org_one_a/customers', 'GET, HEAD, OPTIONS, POST'],
      ['POST', '/garages', 'GET, HEAD, OPTIONS'],
      ['DELETE', '/garages/gar_org_one_a', 'GET, HEAD, OPTIONS'],
    ])('when %s %s is called, then 405 in the envelope with Allow: %s', async (method, path, allow) => {
      const response = await call(keys.one!, path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(await json(response)).toMatchObject({ success: false, error: { type: 'MethodNotAllowedError', code: 'METHOD_NOT_ALLOWED' } });
    });

    it('when a path nobody serves is called, then it is still 404 ROUTE_NOT_FOUND', async () => {
      const response = await call(keys.one!, '/garages/gar_org_one_a/nothing-here', { method: 'DELETE' });
      expect(response.status).toBe(404);
      expect((await json(response)).error?.code).toBe('ROUTE_NOT_FOUND');
    });
  });

  describe('Idempotency-Key', () => {
    const customer = { firstName: 'Ada', lastName: 'Lovelace' };

    it('when a create is retried with the same key and body (keys in another order), then the first answer comes back replayed', async () => {
      const first = await post(keys.one!, '/garages/gar_org_one_a/customers', customer, { 'idempotency-key': 'cust-001' });
      const retry = await post(keys.one!, '/garages/gar_org_one_a/customers', { lastName: 'Lovelace', firstName: 'Ada' }, { 'idempotency-key': 'cust-001' });
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const [a, b] = [await json(first), await json(retry)];
      expect(b.data).toEqual(a.data);
      const list = await json(await call(keys.one!, '/garages/gar_org_one_a/customers?limit=100'));
      expect((list.data as { lastName: string }[]).filter((c) => c.lastName === 'Lovelace')).toHaveLength(1);
    });

    it('when the same key comes with a different body, then 409 IDEMPOTENCY_KEY_REUSED and nothing is created', async () => {
      await post(keys.one!, '/garages/gar_org_one_a/customers', { firstName: 'Grace', lastName: 'Hopper' }, { 'idempotency-key': 'cust-002' });
      const reused = await post(keys.one!, '/garages/gar_org_one_a/customers', { firstName: 'Alan', lastName: 'Turing' }, { 'idempotency-key': 'cust-002' });
      expect(reused.status).toBe(409);
      expect((await json(reused)).error).toMatchObject({ type: 'ConflictError', code: 'IDEMPOTENCY_KEY_REUSED' });
      const list = await json(await call(keys.one!, '/garages/gar_org_one_a/customers?limit=100'));
      expect((list.data as { lastName: string }[]).some((c) => c.lastName === 'Turing')).toBe(false);
    });

    it('when another organisation uses the same key, then it gets its own result, never the first tenant’s', async () => {
      const mine = await json(await post(keys.one!, '/garages/gar_org_one_a/customers', customer, { 'idempotency-key': 'shared-key' }));
      const theirs = await post(keys.twoAll!, '/garages/gar_org_two_a/customers', customer, { 'idempotency-key': 'shared-key' });
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect((await json(theirs)).data.id).not.toBe(mine.data.id);
    });

    it('when the bookings service runs, then its own database keeps the keys under a 24 h TTL index', async () => {
      const indexes = await bookings.connection.collection('idempotency_keys').indexes();
      expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
    });

    it('when a refused request (400) is retried fixed with the same key, then it runs, and a malformed key is a 400', async () => {
      const refused = await post(keys.one!, '/garages/gar_org_one_a/customers', { firstName: 'NoLastName' }, { 'idempotency-key': 'cust-003' });
      expect(refused.status).toBe(400);
      const fixed = await post(keys.one!, '/garages/gar_org_one_a/customers', { firstName: 'Katherine', lastName: 'Johnson' }, { 'idempotency-key': 'cust-003' });
      expect(fixed.status).toBe(201);
      const bad = await post(keys.one!, '/garages/gar_org_one_a/customers', customer, { 'idempotency-key': 'has spaces' });
      expect(bad.status).toBe(400);
      expect((await json(bad)).error?.details).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });
  });

  describe('short paths', () => {
    it('when a key reaches exactly one garage, then /api/v1/customers reads and writes that garage', async () => {
      const created = await post(keys.twoYork!, '/customers', { firstName: 'Short', lastName: 'Path' });
      expect(created.status).toBe(201);
      const id = (await json(created)).data.id as string;
      const viaLong = await call(keys.twoAll!, `/garages/gar_org_two_b/customers/${id}`);
      expect(viaLong.status).toBe(200);
      const viaShort = await json(await call(keys.twoYork!, `/customers/${id}`));
      expect(viaShort.data).toEqual((await json(viaLong)).data);
      const availability = await call(keys.twoYork!, '/availability?dateFrom=2030-01-07&dateTo=2030-01-08');
      expect(availability.status).toBe(200);
      expect((await json(availability)).success).toBe(true);
    });

    it('when an organisation with one garage uses an unrestricted key, then the short path serves that garage', async () => {
      expect((await call(keys.one!, '/customers')).status).toBe(200);
    });

    it('when a key reaches several garages, then 400 GARAGE_REQUIRED naming them', async () => {
      const response = await call(keys.twoAll!, '/bookings');
      expect(response.status).toBe(400);
      const body = await json(response);
      expect(body.error).toMatchObject({ type: 'ValidationError', code: 'GARAGE_REQUIRED' });
      expect(body.error?.message).toContain('gar_org_two_a');
      expect(body.error?.message).toContain('gar_org_two_b');
      expect(body.error?.details?.map((d) => d.message)).toEqual(['gar_org_two_a (org_two Leeds)', 'gar_org_two_b (org_two York)']);
    });
  });

  describe('authentication and internal headers', () => {
    it('when no key is sent, then the 401 names both ways to send one', async () => {
      const response = await call(null, '/garages');
      expect(response.status).toBe(401);
      const message = (await json(response)).error?.message ?? '';
      expect(message).toContain('X-API-Key');
      expect(message).toContain('Authorization: Bearer');
    });

    it.each([
      ['the gateway 401', null, '/garages', 401],
      ['the gateway 404', 'one', '/garages/gar_elsewhere/customers', 404],
      ['a service 404', 'one', '/garages/gar_org_one_a/customers/cus_missing', 404],
      ['a 405', 'one', '/garages/gar_org_one_a/customers', 405],
    ])('when %s is answered, then no x-pitlane-error-code reaches the client', async (_label, who, path, status) => {
      const response = await call(who ? keys[who]! : null, path, status === 405 ? { method: 'PUT' } : {});
      expect(response.status).toBe(status);
      expect(response.headers.get('x-pitlane-error-code')).toBeNull();
      expect([...response.headers.keys()].filter((name) => name.startsWith('x-pitlane'))).toEqual([]);
    });
  });

  describe('CORS per organisation', () => {
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/api/v1/garages`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' },
      });

    it('when no organisation allows an origin (the default), then neither the preflight nor the answer carries CORS headers', async () => {
      expect((await preflight('https://nobody.example')).headers.get('access-control-allow-origin')).toBeNull();
      const response = await call(keys.one!, '/garages', { headers: { origin: 'https://nobody.example' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('when an organisation allows an origin, then the gateway answers its preflight and only that organisation’s keys are readable from it', async () => {
      await gateway.context.provisioning.setAllowedOrigins('org_one', ['https://app.one.example']);
      await new Promise((resolve) => setTimeout(resolve, 5_500)); // the preflight's origin cache (5 s)
      const answer = await preflight('https://app.one.example');
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.one.example');
      expect(answer.headers.get('access-control-allow-headers')).toContain('X-API-Key');
      expect(answer.headers.get('access-control-allow-methods')).toContain('POST');

      const mine = await call(keys.one!, '/garages', { headers: { origin: 'https://app.one.example' } });
      expect(mine.headers.get('access-control-allow-origin')).toBe('https://app.one.example');
      expect(mine.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining');
      const other = await call(keys.twoAll!, '/garages', { headers: { origin: 'https://app.one.example' } });
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    }, 20_000);

    it('when an origin is not scheme://host, then setting it is refused with 400', async () => {
      await expect(gateway.context.provisioning.setAllowedOrigins('org_one', ['https://app.one.example/path'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(gateway.context.provisioning.setAllowedOrigins('org_one', ['*'])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});

import {
  AppError,
  createLogger,
  createServiceApp,
  errors,
  listen,
  listQuery,
  Metrics,
  sendData,
  signInternalToken,
  validate,
  type RunningServer,
} from '@pitlane/core';
import jwt from 'jsonwebtoken';
import { json } from '@pitlane/testing';
import { z } from 'zod';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const claims = {
  organisationId: 'org1',
  keyId: 'key1',
  permission: 'read_write' as const,
  garageId: 'g1',
  requestId: 'req-1',
};


const widgetList = listQuery({ sortable: ['name', 'createdAt'], defaultSort: '-createdAt', dates: 'own', timestamps: false });
describe('service app: error envelope and internal auth', () => {
  let server: RunningServer;
  const token = signInternalToken(claims, SECRET);

  beforeAll(async () => {
    const app = createServiceApp({
      logger: createLogger('test', 'silent'),
      metrics: new Metrics('test', { defaultMetrics: false }),
      internalJwtSecret: SECRET,
      readiness: {},
      bodyLimit: '1kb',
      garageRoutes: (router) => {
        router.post('/widgets', (req, res) => {
          const body = validate(z.object({ name: z.string().min(1), count: z.number().int() }), req.body, 'body');
          sendData(res, { id: 'w1', ...body }, 201);
        });
        router.get('/widgets', (req, res) => {
          const { pagination } = widgetList.parse(req.query);
          sendData(res, pagination);
        });
        router.get('/widgets/:id', (req) => {
          throw errors.notFound(`Widget ${req.params.id}`);
        });
        // a rejected promise, as an async use-case gives: Express 5 forwards it to the error handler
        router.get('/explode', () => Promise.reject(new Error('database password is hunter2')));
        router.get('/conflict', () => {
          throw new AppError('ConflictError', 'SLOT_AT_CAPACITY', 'The timeslot is full.');
        });
      },
    });
    server = await listen(app, 0, '127.0.0.1');
  });

  afterAll(() => server.close());

  function call(path: string, init: RequestInit & { token?: string | null } = {}) {
    const headers = new Headers(init.headers);
    const useToken = init.token === undefined ? token : init.token;
    if (useToken) headers.set('x-pitlane-internal-token', useToken);
    return fetch(`${server.url}${path}`, { ...init, headers });
  }

  it('when a known path is called with a method it does not serve, then 405 METHOD_NOT_ALLOWED with Allow; an unknown path stays 404', async () => {
    const response = await call('/api/v1/garages/g1/widgets/w1', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await json(response)).toMatchObject({ success: false, error: { type: 'MethodNotAllowedError', code: 'METHOD_NOT_ALLOWED', details: { allowed: ['GET', 'HEAD', 'OPTIONS'] } } });
    // OPTIONS on a known path: express's own answer, with Allow
    const options = await call('/api/v1/garages/g1/widgets', { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([200, 'GET, HEAD, POST']);
    expect((await call('/api/v1/garages/g1/gadgets', { method: 'DELETE' })).status).toBe(404);
  });

  it('when a body fails validation, then 400 VALIDATION_FAILED lists each field', async () => {
    const response = await call('/api/v1/garages/g1/widgets', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc-123' },
      body: JSON.stringify({ name: '', count: 1.5 }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    expect(await json(response)).toEqual({
      success: false,
      error: {
        type: 'ValidationError',
        code: 'VALIDATION_FAILED',
        message: 'The body is invalid.',
        details: [
          { field: 'name', message: expect.any(String) },
          { field: 'count', message: expect.any(String) },
        ],
      },
      requestId: 'abc-123',
    });
  });

  it('when the body is malformed JSON, then 400 INVALID_JSON', async () => {
    const response = await call('/api/v1/garages/g1/widgets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error).toMatchObject({ type: 'ValidationError', code: 'INVALID_JSON' });
    expect(body.requestId).toEqual(response.headers.get('x-request-id'));
  });

  it('when the body is over the limit, then 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await call('/api/v1/garages/g1/widgets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(5000), count: 1 }),
    });
    expect(response.status).toBe(413);
    expect((await json(response)).error).toMatchObject({ type: 'PayloadTooLargeError', code: 'PAYLOAD_TOO_LARGE' });
  });

  it('when a resource or a route does not exist, then 404 in the envelope', async () => {
    const missing = await call('/api/v1/garages/g1/widgets/w404');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error).toMatchObject({ type: 'NotFoundError', code: 'RESOURCE_NOT_FOUND' });

    const noRoute = await call('/api/v1/garages/g1/nothing-here');
    expect(noRoute.status).toBe(404);
    expect((await json(noRoute)).error).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('when something unexpected throws, then 500 INTERNAL_ERROR without internals', async () => {
    const response = await call('/api/v1/garages/g1/explode');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    expect(JSON.parse(text).error).toEqual({
      type: 'InternalError',
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred.',
    });
  });

  it('when a domain conflict is thrown, then 409 with its code', async () => {
    const response = await call('/api/v1/garages/g1/conflict');
    expect(response.status).toBe(409);
    expect((await json(response)).error).toMatchObject({ type: 'ConflictError', code: 'SLOT_AT_CAPACITY' });
  });

  it('when pagination is out of range, then 400 with details; in range it is parsed; an unknown parameter is named', async () => {
    const unknown = await call('/api/v1/garages/g1/widgets?pge=2');
    expect((await json(unknown)).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'pge' })] });

    const bad = await call('/api/v1/garages/g1/widgets?limit=101&page=0&sort=password&dateFrom=2026-02-30');
    expect(bad.status).toBe(400);
    const fields = (await json(bad)).error?.details?.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['dateFrom', 'limit', 'page']);

    const badSort = await call('/api/v1/garages/g1/widgets?sort=-password');
    expect((await json(badSort)).error?.details).toEqual([
      { field: 'sort', message: 'cannot sort by "password"; allowed: name, createdAt' },
    ]);

    const good = await call('/api/v1/garages/g1/widgets?page=2&limit=5&sort=-name&dateFrom=2026-01-01&dateTo=2026-01-31');
    expect((await json(good)).data).toEqual({
      page: 2,
      limit: 5,
      skip: 5,
      sort: { name: -1 },
      dateFrom: '2026-01-01',
      dateTo: '2026-01-31',
    });
  });

  describe('internal auth', () => {
    it('when a request comes without the gateway token, then 401 and the route never runs', async () => {
      const response = await call('/api/v1/garages/g1/widgets', { token: null });
      expect(response.status).toBe(401);
      expect((await json(response)).error).toMatchObject({
        type: 'AuthenticationError',
        code: 'INTERNAL_AUTH_MISSING',
      });
    });

    it('when the token is signed with another secret or expired, then 401 INTERNAL_AUTH_INVALID', async () => {
      const forged = signInternalToken(claims, 'another-secret-that-is-32-characters-long');
      const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, {
        issuer: 'pitlane-gateway',
        audience: 'pitlane-services',
      });
      for (const bad of [forged, expired, 'not-a-jwt']) {
        const response = await call('/api/v1/garages/g1/widgets', { token: bad });
        expect(response.status).toBe(401);
        expect((await json(response)).error?.code).toBe('INTERNAL_AUTH_INVALID');
      }
    });

    it('when the token is for another garage, then 404 as for any garage out of scope', async () => {
      const response = await call('/api/v1/garages/g2/widgets');
      expect(response.status).toBe(404);
      expect((await json(response)).error?.code).toBe('RESOURCE_NOT_FOUND');
    });

    it('when a read-only token writes, then 403 INSUFFICIENT_PERMISSION', async () => {
      const readOnly = signInternalToken({ ...claims, permission: 'read' }, SECRET);
      const response = await call('/api/v1/garages/g1/widgets', {
        method: 'POST',
        token: readOnly,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a', count: 1 }),
      });
      expect(response.status).toBe(403);
      expect((await json(response)).error).toMatchObject({ type: 'PermissionError', code: 'INSUFFICIENT_PERMISSION' });
    });

    it('when health endpoints are called, then they need no token', async () => {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain('http_requests_total');
      expect(metrics).toContain('route="/api/v1/garages/:garageId/widgets"');
    });
  });
});

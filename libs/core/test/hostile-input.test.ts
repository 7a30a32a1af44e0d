import { request } from 'node:http';
import { gzipSync } from 'node:zlib';

import { createLogger, createServiceApp, listen, Metrics, sendData, signInternalToken, type RunningServer } from '@pitlane/core';
import { json } from '@pitlane/testing';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const token = signInternalToken({ organisationId: 'o1', keyId: 'k1', permission: 'read_write', garageId: 'g1', requestId: 'r1' }, SECRET);

/** Raw HTTP, because fetch will not send what an attacker sends (a GET that announces a body). */
function raw(url: string, options: { method: string; path: string; headers: Record<string, string> }): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}${options.path}`, { method: options.method, headers: options.headers });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }));
    });
    req.on('error', reject);
    req.flushHeaders(); // headers only: the announced body never comes
  });
}

describe('service app: hostile input is a 4xx in the envelope, never a 500', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const app = createServiceApp({
      logger: createLogger('test', 'silent'),
      metrics: new Metrics('test', { defaultMetrics: false }),
      internalJwtSecret: SECRET,
      readiness: {},
      garageRoutes: (router) => {
        router.get('/customers/:customerId', (req, res) => sendData(res, { id: req.params.customerId, q: req.query.q ?? null }));
        router.post('/customers', (req, res) => sendData(res, req.body, 201));
      },
      publicRoutes: (router) => {
        router.get('/estimates/:token', (req, res) => sendData(res, { token: req.params.token }));
      },
    });
    server = await listen(app, 0, '127.0.0.1');
  });

  afterAll(() => server.close());

  const call = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('x-pitlane-internal-token', token);
    return fetch(`${server.url}${path}`, { ...init, headers });
  };

  it.each(['/api/v1/garages/g1/customers/%ff%fe', '/api/v1/public/estimates/%ff%fe', '/api/v1/garages/g1/customers/a%00b'])(
    'when the path %s is not decodable text, then 400 MALFORMED_REQUEST',
    async (path) => {
      const response = await call(path);
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ success: false, error: { type: 'ValidationError', code: 'MALFORMED_REQUEST' } });
    },
  );

  it.each(['?q=a%00b', '?supplier=%00', '?q=%1b[31m', '?q=a%7F'])('when the query %s carries a control character, then 400', async (query) => {
    const response = await call(`/api/v1/garages/g1/customers/c1${query}`);
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ code: 'MALFORMED_REQUEST', details: [{ field: 'query' }] });
  });

  it('when the query is ordinary text with encoded spaces and accents, then it passes', async () => {
    const response = await call('/api/v1/garages/g1/customers/c1?q=Jos%C3%A9%20M');
    expect(response.status).toBe(200);
    expect((await json(response)).data).toEqual({ id: 'c1', q: 'José M' });
  });

  it('when a body says gzip but is not gzip, then 400; when it is gzip, then it is read', async () => {
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const bad = await call('/api/v1/garages/g1/customers', { method: 'POST', headers, body: '{"name":"x"}' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatchObject({ type: 'ValidationError', code: 'MALFORMED_REQUEST' });

    const good = await call('/api/v1/garages/g1/customers', { method: 'POST', headers, body: gzipSync('{"name":"x"}') });
    expect(good.status).toBe(201);
  });

  it('when a body uses an encoding the service does not speak, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await call('/api/v1/garages/g1/customers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
      body: '{"name":"x"}',
    });
    expect(response.status).toBe(415);
    expect((await json(response)).error).toMatchObject({ type: 'UnsupportedMediaTypeError', code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('when a GET announces a body that never comes, then 400 at once, not after a timeout', async () => {
    const response = await raw(server.url, {
      method: 'GET',
      path: '/api/v1/garages/g1/customers/c1',
      headers: { 'content-length': '5', 'x-pitlane-internal-token': token },
    });
    expect(response.status).toBe(400);
    expect(response.ms).toBeLessThan(1_000);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'MALFORMED_REQUEST' } });
  });
});

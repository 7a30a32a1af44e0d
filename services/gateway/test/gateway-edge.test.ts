import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { json, testNames } from '@pitlane/testing';

import { gatewayWithEcho, provisioningFor, startTestGateway, tenant } from './factories';

const names = testNames(__filename);

/** A key of the real shape that no organisation has. */
function wellShapedKey(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return `pl_live_${Array.from({ length: 40 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')}`;
}

/** A GET that announces a body and never sends it (fetch refuses to build one). */
function getWithPhantomBody(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { ...headers, 'content-length': '5' } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: Date.now() - started }));
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('gateway: hostile requests are refused at the edge', () => {
  const running = gatewayWithEcho(names, { RATE_LIMIT_PUBLIC: '3' });
  let key: string;
  let garageId: string;

  beforeAll(async () => {
    ({ rawKey: key, garageId } = await tenant(provisioningFor(running.gateway), 'org_edge', { tier: 'enterprise' }));
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${running.gateway.url}/api/v1${path}`, { ...init, headers: { 'x-api-key': key, ...init.headers } });

  it.each(['/public/estimates/%ff%fe', '/garages/GID/customers/%ff%fe', '/garages/GID/inventory?q=a%00b', '/garages/GID/purchase-orders?supplier=%00'])(
    'when %s is called, then 400 MALFORMED_REQUEST before anything is proxied',
    async (path) => {
      const seenBefore = running.echo.seen.length;
      const response = await api(path.replace('GID', garageId));
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ success: false, error: { type: 'ValidationError', code: 'MALFORMED_REQUEST' } });
      expect(running.echo.seen.length).toBe(seenBefore);
    },
  );

  it('when a GET announces a body that never comes, then 400 at once', async () => {
    const response = await getWithPhantomBody(`${running.gateway.url}/api/v1/garages/${garageId}/customers`, { 'x-api-key': key });
    expect(response.status).toBe(400);
    expect(response.ms).toBeLessThan(1_000);
  });

  it('when 300 KB text/plain POSTs run alongside normal GETs, then the POSTs get 415 and every GET succeeds', async () => {
    const junk = 'x'.repeat(300 * 1024);
    const posts = Array.from({ length: 10 }, () =>
      api(`/garages/${garageId}/inventory`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: junk }),
    );
    const gets = Array.from({ length: 40 }, () => api(`/garages/${garageId}/inventory`));
    const [postResponses, getResponses] = await Promise.all([Promise.all(posts), Promise.all(gets)]);
    expect(postResponses.map((r) => r.status)).toEqual(Array(10).fill(415));
    expect((await json(postResponses[0]!)).error).toMatchObject({ type: 'UnsupportedMediaTypeError', code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(getResponses.map((r) => r.status)).toEqual(Array(40).fill(200));
  });

  it('when JSON (or multipart on the upload route) is sent, then it is proxied', async () => {
    const created = await api(`/garages/${garageId}/inventory`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"a":1}' });
    expect(created.status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    const upload = await api(`/garages/${garageId}/bookings/b1/attachments`, { method: 'POST', body: form });
    expect(upload.status).toBe(200);
  });

  it('when a client forges X-Forwarded-For, then the public per-IP limit still counts its real address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${running.gateway.url}/api/v1/public/estimates/tok_${i}`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  // last: it uses up this address's failure budget on this gateway
  it('when one address tries 50 random keys, then after 20 failures it gets 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 50; i++) {
      // half of them shaped like real keys (each costs a lookup), half not (refused without one)
      const guess = i % 2 ? `pk_live_${i}_${Math.random().toString(36).slice(2)}` : wellShapedKey();
      const response = await fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-api-key': guess } });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(30).fill(429));
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);

    // the throttle is per address, whatever key comes next: a valid key the gateway has cached (its
    // failure check and rate limit share one Redis round trip) is refused too, and says nothing about the key
    const valid = await api('/garages');
    expect(valid.status).toBe(429);
    expect(((await valid.json()) as { error: { message: string } }).error.message).toBe('Too many failed authentication attempts from this address. Try again later.');
    expect(Number(valid.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const unknown = await fetch(`${running.gateway.url}/api/v1/garages`, { headers: { 'x-api-key': wellShapedKey() } });
    expect(unknown.status).toBe(429);
  });
});

describe('gateway: a reset on a reused upstream socket', () => {
  const resetNames = testNames(`${__filename}-reset`);
  let upstream: Server;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    // answers the first request on each connection, then resets the connection on the next one:
    // what a service's keep-alive timeout racing the gateway's reuse of that socket looks like
    upstream = createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      if (socket.served > 1) {
        socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"data":{}}'));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await startTestGateway(resetNames, { BOOKINGS_URL: url, INVENTORY_URL: url, BILLING_URL: url, WEBHOOKS_URL: url });
  });

  afterAll(async () => {
    await gateway.connection.dropDatabase();
    await gateway.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('when an idempotent request meets the reset, then it is retried once on a fresh socket; a POST is not', async () => {
    const { rawKey, garageId } = await tenant(provisioningFor(gateway), 'org_reset');
    const call = (method: string) =>
      fetch(`${gateway.url}/api/v1/garages/${garageId}/customers`, {
        method,
        headers: { 'x-api-key': rawKey, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
    const statuses = [];
    for (const method of ['GET', 'GET', 'DELETE', 'GET']) statuses.push((await call(method)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect((await call('POST')).status).toBe(503); // the body is gone: the client decides
  });
});

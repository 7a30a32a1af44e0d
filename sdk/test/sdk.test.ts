import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createPitlane, PitlaneError, verifyWebhook } from '@pitlane/sdk';
import { Webhook } from 'standardwebhooks';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny stand-in for the gateway: each request is recorded, then answered by the test's handler. */
async function stub(handler: (req: Seen, count: number) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      const answer = handler(request, seen.length);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const garageId = 'gar_1';
const customer = (n: number) => ({
  id: `cus_${n}`, firstName: 'Ana', lastName: `N${n}`, email: null, phone: null, address: null, notes: null,
  createdAt: '2026-03-02T09:15:00.000Z', updatedAt: '2026-03-02T09:15:00.000Z',
});
const rateLimited = { success: false, error: { type: 'RateLimitError', code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' }, requestId: 'r' };
const unavailable = { success: false, error: { type: 'ServiceUnavailableError', code: 'SERVICE_UNAVAILABLE', message: 'down' }, requestId: 'r' };

describe('@pitlane/sdk', () => {
  let server: Awaited<ReturnType<typeof stub>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('when a call is made, then it carries the key and the typed path reaches the gateway', async () => {
    server = await stub(() => ({ status: 200, body: { success: true, data: customer(1) } }));
    const pitlane = createPitlane({ apiKey: 'pl_live_test', baseUrl: server.baseUrl });

    const { data } = await pitlane.GET('/api/v1/garages/{garageId}/customers/{customerId}', { params: { path: { garageId, customerId: 'cus_1' } } });

    expect(data?.data.id).toBe('cus_1');
    expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/garages/gar_1/customers/cus_1', headers: { 'x-api-key': 'pl_live_test' } });
  });

  it('when the gateway answers 429 with Retry-After: 1, then the SDK waits that second and retries the same request', async () => {
    server = await stub((_req, count) => (count === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: rateLimited } : { status: 201, body: { success: true, data: customer(2) } }));
    const pitlane = createPitlane({ apiKey: 'k', baseUrl: server.baseUrl });
    const started = Date.now();

    const { data, response } = await pitlane.POST('/api/v1/garages/{garageId}/customers', { params: { path: { garageId } }, body: { firstName: 'Ana', lastName: 'Silva' } });

    expect(response.status).toBe(201);
    expect(data?.data.id).toBe('cus_2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.seen.map((r) => r.body)).toEqual([JSON.stringify({ firstName: 'Ana', lastName: 'Silva' }), JSON.stringify({ firstName: 'Ana', lastName: 'Silva' })]);
  });

  it('when a POST is retried, then both attempts carry the same generated Idempotency-Key, and a given key is kept', async () => {
    server = await stub((_req, count) => (count % 2 === 1 ? { status: 503, body: unavailable } : { status: 201, body: { success: true, data: customer(3) } }));
    const pitlane = createPitlane({ apiKey: 'k', baseUrl: server.baseUrl, retry: { retries: 2, baseDelayMs: 5 } });
    const body = { firstName: 'Ana', lastName: 'Silva' };

    await pitlane.POST('/api/v1/garages/{garageId}/customers', { params: { path: { garageId } }, body });
    await pitlane.POST('/api/v1/garages/{garageId}/customers', { params: { path: { garageId }, header: { 'Idempotency-Key': 'mine-1' } }, body });

    const keys = server.seen.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys.slice(2)).toEqual(['mine-1', 'mine-1']);
  });

  it('when 503 keeps coming, then the SDK gives up after its retries and returns the last answer; with retry: false it does not retry', async () => {
    server = await stub(() => ({ status: 503, body: unavailable }));
    const retrying = createPitlane({ apiKey: 'k', baseUrl: server.baseUrl, retry: { retries: 2, baseDelayMs: 5 } });
    const plain = createPitlane({ apiKey: 'k', baseUrl: server.baseUrl, retry: false });

    const first = await retrying.GET('/api/v1/garages', {});
    const attemptsWithRetry = server.seen.length;
    const second = await plain.GET('/api/v1/garages', {});

    expect(first.response.status).toBe(503);
    expect(first.error?.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(attemptsWithRetry).toBe(3);
    expect(second.response.status).toBe(503);
    expect(server.seen.length - attemptsWithRetry).toBe(1);
    expect(server.seen.filter((r) => r.method === 'GET').every((r) => r.headers['idempotency-key'] === undefined)).toBe(true);
  });

  it('when a list spans pages, then paginate yields every item once, in order, asking page after page with the caller filters', async () => {
    const all = Array.from({ length: 5 }, (_, i) => customer(i + 1));
    server = await stub((req) => {
      const url = new URL(req.url, 'http://x');
      const page = Number(url.searchParams.get('page'));
      const limit = Number(url.searchParams.get('limit'));
      const data = all.slice((page - 1) * limit, page * limit);
      const totalPages = Math.ceil(all.length / limit);
      return { status: 200, body: { success: true, data, pagination: { page, limit, total: all.length, totalPages, hasMore: page < totalPages } } };
    });
    const pitlane = createPitlane({ apiKey: 'k', baseUrl: server.baseUrl });

    const ids: string[] = [];
    for await (const item of pitlane.paginate('/api/v1/garages/{garageId}/customers', { params: { path: { garageId }, query: { limit: 2, sort: 'createdAt' } } })) {
      ids.push(item.id);
    }

    expect(ids).toEqual(['cus_1', 'cus_2', 'cus_3', 'cus_4', 'cus_5']);
    expect(server.seen.map((r) => r.url)).toEqual([1, 2, 3].map((p) => `/api/v1/garages/gar_1/customers?limit=2&sort=createdAt&page=${p}`));
  });

  it('when the first page hands out a cursor, then paginate follows nextCursor (without page or count) until it is null', async () => {
    const all = Array.from({ length: 5 }, (_, i) => customer(i + 1));
    server = await stub((req) => {
      const url = new URL(req.url, 'http://x');
      const limit = Number(url.searchParams.get('limit'));
      const cursor = url.searchParams.get('cursor');
      const start = cursor === null ? 0 : Number(cursor.replace('after-', ''));
      const data = all.slice(start, start + limit);
      const nextCursor = start + limit < all.length ? `after-${start + limit}` : null;
      const pagination = cursor === null ? { page: 1, limit, hasMore: nextCursor !== null, nextCursor } : { limit, nextCursor };
      return { status: 200, body: { success: true, data, pagination } };
    });
    const pitlane = createPitlane({ apiKey: 'k', baseUrl: server.baseUrl });

    const ids: string[] = [];
    for await (const item of pitlane.paginate('/api/v1/garages/{garageId}/customers', { params: { path: { garageId }, query: { limit: 2, count: 'false' } } })) {
      ids.push(item.id);
    }

    expect(ids).toEqual(['cus_1', 'cus_2', 'cus_3', 'cus_4', 'cus_5']);
    expect(server.seen.map((r) => r.url)).toEqual([
      '/api/v1/garages/gar_1/customers?limit=2&count=false&page=1',
      '/api/v1/garages/gar_1/customers?limit=2&cursor=after-2',
      '/api/v1/garages/gar_1/customers?limit=2&cursor=after-4',
    ]);
  });

  it('when a page fails, then paginate throws a PitlaneError with the code', async () => {
    server = await stub(() => ({ status: 404, body: { success: false, error: { type: 'NotFoundError', code: 'RESOURCE_NOT_FOUND', message: 'Garage not found.' }, requestId: 'r' } }));
    const pitlane = createPitlane({ apiKey: 'k', baseUrl: server.baseUrl });

    const iterate = async () => {
      for await (const _item of pitlane.paginate('/api/v1/garages/{garageId}/customers', { params: { path: { garageId } } })) {
        // never reached
      }
    };

    await expect(iterate()).rejects.toMatchObject({ name: 'PitlaneError', status: 404, code: 'RESOURCE_NOT_FOUND' });
    await expect(iterate()).rejects.toBeInstanceOf(PitlaneError);
  });

  it('when a delivery is signed with the secret, then verifyWebhook returns the event; a changed body or another secret throws', () => {
    const secret = `whsec_${Buffer.from('a-32-byte-secret-for-the-test!!!').toString('base64')}`;
    const body = JSON.stringify({ id: 'evt_1', type: 'booking.created', timestamp: '2026-03-02T09:15:00.000Z', garageId, data: { booking: { bookingId: 'b1' } } });
    const timestamp = new Date();
    const signature = new Webhook(secret).sign('evt_1', timestamp, body);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature };

    const event = verifyWebhook(secret, headers, body);

    expect(event).toMatchObject({ id: 'evt_1', type: 'booking.created', garageId });
    expect(verifyWebhook(secret, new Headers(headers), Buffer.from(body)).id).toBe('evt_1');
    expect(() => verifyWebhook(secret, headers, body.replace('b1', 'b2'))).toThrow();
    expect(() => verifyWebhook(`whsec_${Buffer.from('another-secret-of-32-bytes-long!').toString('base64')}`, headers, body)).toThrow();
  });
});

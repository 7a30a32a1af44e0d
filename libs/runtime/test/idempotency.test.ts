import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createLogger, createServiceApp, Metrics, signInternalToken } from '@pitlane/core';
import { connectMongo, ensureIndexes, MongoIdempotencyStore, registerIdempotencyModel } from '@pitlane/mongo';
import { infraUrls, json, TEST_INTERNAL_SECRET, testNames } from '@pitlane/testing';
import type { Connection } from 'mongoose';

/** The shared Idempotency-Key middleware as every service mounts it (createServiceApp + the Mongo
 * store), on routes that let a test hold a request in flight or fail it with a 5xx. */
const names = testNames(__filename);

describe('the shared Idempotency-Key middleware', () => {
  let connection: Connection;
  let server: Server;
  let url: string;
  let store: MongoIdempotencyStore;
  let runs = 0;
  let release: () => void = () => undefined;
  let failNext = false;

  beforeAll(async () => {
    connection = await connectMongo({ url: infraUrls().mongoUrl, dbName: names.database('idem') });
    registerIdempotencyModel(connection);
    await ensureIndexes(connection);
    store = new MongoIdempotencyStore(connection);
    const logger = createLogger('idem-test', 'silent');
    const app = createServiceApp({
      logger,
      metrics: new Metrics('idem_test'),
      internalJwtSecret: TEST_INTERNAL_SECRET,
      readiness: {},
      idempotency: store,
      garageRoutes: (router) => {
        router.post('/things', async (req, res) => {
          runs += 1;
          if ((req.body as { slow?: boolean }).slow) await new Promise<void>((resolve) => (release = resolve));
          if (failNext) {
            failNext = false;
            throw new Error('boom');
          }
          res.status(201).json({ success: true, data: { run: runs } });
        });
      },
    });
    await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/garages/gar_1/things`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await connection.dropDatabase();
    await connection.close();
  });

  const send = (key: string, body: unknown, organisationId = 'org_1') =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        'x-pitlane-internal-token': signInternalToken(
          { organisationId, keyId: 'key_1', permission: 'read_write', garageId: 'gar_1', garage: { name: 'G', timezone: 'Europe/London', currency: 'GBP' }, requestId: 'r' },
          TEST_INTERNAL_SECRET,
        ),
      },
      body: JSON.stringify(body),
    });

  it('when the first request is still running, then a retry gets 409 IDEMPOTENCY_KEY_IN_USE, and once it ends the retry replays it', async () => {
    const first = send('slow-1', { slow: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const early = await send('slow-1', { slow: true });
    expect(early.status).toBe(409);
    expect((await json(early)).error).toMatchObject({ type: 'ConflictError', code: 'IDEMPOTENCY_KEY_IN_USE' });
    release();
    const done = await first;
    expect(done.status).toBe(201);
    const firstBody = await json(done);
    const runsBefore = runs;
    const retry = await send('slow-1', { slow: true });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('content-type')).toContain('application/json');
    expect(await json(retry)).toEqual(firstBody);
    expect(runs).toBe(runsBefore); // replayed, not run again
  });

  it('when the first answer was a 5xx, then it is not kept: the retry with the same key runs again', async () => {
    failNext = true;
    const failed = await send('flaky-1', { n: 1 });
    expect(failed.status).toBe(500);
    const retry = await send('flaky-1', { n: 1 });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when a key is older than its time to live, then it is free again; a key held past the lease by a dead request is taken over', async () => {
    expect(await store.claim('org_x|old', 'fp-a', { ttlMs: 1, leaseMs: 60_000 })).toEqual({ claimed: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.claim('org_x|old', 'fp-b', { ttlMs: 60_000, leaseMs: 60_000 })).toEqual({ claimed: true });
    // fp-b now in flight: another request is refused, a retry of it after the lease takes it over
    expect(await store.claim('org_x|old', 'fp-b', { ttlMs: 60_000, leaseMs: 60_000 })).toMatchObject({ claimed: false, record: { state: 'in_flight' } });
    expect(await store.claim('org_x|old', 'fp-c', { ttlMs: 60_000, leaseMs: 0 })).toMatchObject({ claimed: false, record: { fingerprint: 'fp-b' } });
    expect(await store.claim('org_x|old', 'fp-b', { ttlMs: 60_000, leaseMs: 0 })).toEqual({ claimed: true });
  });

  it('when indexes are built (as startService does), then idempotency_keys has a TTL index on expiresAt, and records expire 24 h after first use', async () => {
    const indexes = await connection.collection('idempotency_keys').indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
    const before = Date.now();
    await send('ttl-1', { n: 2 });
    const record = await connection.collection<{ _id: string; expiresAt: Date }>('idempotency_keys').findOne({ _id: 'org_1|ttl-1' });
    const hours = (record!.expiresAt.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(23.99);
    expect(hours).toBeLessThan(24.01);
  });
});

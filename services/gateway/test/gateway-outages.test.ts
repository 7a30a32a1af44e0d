import { json, startTcpProxy, testNames, waitFor, type TcpProxy } from '@pitlane/testing';

import type { GatewayService } from '../src/service';
import { provisioningFor, startEchoUpstream, startTestGateway, tenant, type EchoUpstream } from './factories';

describe('gateway: Redis away', () => {
  const names = testNames(`${__filename}-redis`);
  let proxy: TcpProxy;
  let echo: EchoUpstream;
  let a: GatewayService;
  let b: GatewayService;

  beforeAll(async () => {
    proxy = await startTcpProxy(process.env.REDIS_URL!);
    echo = await startEchoUpstream();
    const env = { REDIS_URL: proxy.url, RATE_LIMIT_STANDARD: '6', INSTANCE_HEARTBEAT_MS: '200', BOOKINGS_URL: echo.url };
    a = await startTestGateway(names, env);
    b = await startTestGateway(names, env); // same Redis prefix: one fleet of two
  });

  afterAll(async () => {
    await a.connection.dropDatabase();
    await a.close();
    await b.close();
    await echo.close();
    await proxy.close();
  });

  it('when Redis goes away, then /readyz stays 200 with redis degraded, and each of 2 instances grants half the budget', async () => {
    const { rawKey, garageId } = await tenant(provisioningFor(a), 'org_fleet');
    await waitFor(() => a.context.instances.count === 2, { message: 'instances did not see each other' });
    expect(await (await fetch(`${a.url}/readyz`)).json()).toEqual({ status: 'ready', checks: { mongo: { status: 'up' }, redis: { status: 'up' } } });
    const call = () => fetch(`${a.url}/api/v1/garages/${garageId}/customers`, { headers: { 'x-api-key': rawKey } });
    expect((await call()).status).toBe(200); // warms the key and garage caches

    proxy.cut();
    await waitFor(() => a.redis.status !== 'ready', { message: 'gateway did not notice Redis going away' });
    const ready = await fetch(`${a.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: { redis: { status: string } } };
    expect(body.status).toBe('degraded');
    expect(body.checks.redis.status).toBe('degraded');

    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]); // 6 / 2 instances = 3 in memory on this one
    proxy.restore();
  });
});

describe('gateway: database stalled', () => {
  const names = testNames(`${__filename}-mongo`);
  let proxy: TcpProxy;
  let echo: EchoUpstream;
  let gateway: GatewayService;

  beforeAll(async () => {
    proxy = await startTcpProxy(process.env.MONGO_URL!);
    echo = await startEchoUpstream();
    gateway = await startTestGateway(names, { MONGO_URL: proxy.url, MONGO_OP_TIMEOUT_MS: '1000', BOOKINGS_URL: echo.url });
  });

  afterAll(async () => {
    proxy.restore();
    await waitFor(async () => (await fetch(`${gateway.url}/readyz`)).status === 200, { timeoutMs: 15_000 }).catch(() => undefined);
    await gateway.connection.dropDatabase().catch(() => undefined);
    await gateway.close();
    await echo.close();
    await proxy.close();
  });

  it('when MongoDB stops answering, then a cached key still gets 200 and an uncached key a fast 503', async () => {
    const provisioning = provisioningFor(gateway);
    const cached = await tenant(provisioning, 'org_cached');
    const uncached = await tenant(provisioning, 'org_uncached');
    const call = (key: string, garageId: string) => fetch(`${gateway.url}/api/v1/garages/${garageId}/customers`, { headers: { 'x-api-key': key } });
    expect((await call(cached.rawKey, cached.garageId)).status).toBe(200);

    proxy.cut();
    expect((await call(cached.rawKey, cached.garageId)).status).toBe(200);

    const started = Date.now();
    const refused = await call(uncached.rawKey, uncached.garageId);
    const elapsed = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(await json(refused)).toMatchObject({ success: false, error: { type: 'ServiceUnavailableError', code: 'SERVICE_UNAVAILABLE' } });
    expect(elapsed).toBeLessThan(3_000);
  });
});

import { json, startTcpProxy, testNames, waitFor, type TcpProxy } from '@pitlane/testing';

import type { GatewayService } from '../src/service';
import { gatewayWithEcho, provisioningFor, startTestGateway, tenant } from './factories';

const names = testNames(__filename);

describe('gateway: rate limits per key tier', () => {
  const running = gatewayWithEcho(names);

  const get = (key: string, path = '/garages') => fetch(`${running.gateway.url}/api/v1${path}`, { headers: { 'x-api-key': key } });

  it('when 100 parallel requests hit a fresh standard key, then exactly 60 succeed and 40 get 429', async () => {
    const { rawKey, garageId } = await tenant(provisioningFor(running.gateway), 'org_burst');

    const responses = await Promise.all(Array.from({ length: 100 }, () => get(rawKey, `/garages/${garageId}/customers`)));

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    const refused = responses.find((r) => r.status === 429)!;
    expect(await json(refused)).toMatchObject({ error: { type: 'RateLimitError', code: 'RATE_LIMIT_EXCEEDED' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit')).toBe(`"minute";r=0;t=${retryAfter}`);
  });

  it('when a key makes a request, then the response carries the seed trio and the IETF draft headers', async () => {
    const { rawKey } = await tenant(provisioningFor(running.gateway), 'org_headers', { tier: 'premium' });

    const first = await get(rawKey);
    const second = await get(rawKey);

    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('300');
    expect(first.headers.get('ratelimit-remaining')).toBe('299');
    expect(second.headers.get('ratelimit-remaining')).toBe('298');
    const reset = Number(first.headers.get('ratelimit-reset'));
    const now = Math.floor(Date.now() / 1000);
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 61);
    expect(first.headers.get('ratelimit-policy')).toBe('"minute";q=300;w=60');
    expect(first.headers.get('ratelimit')).toMatch(/^"minute";r=299;t=\d+$/);
  });

  it('when two keys are used, then each has its own budget and tiers get their own limits', async () => {
    const provisioning = provisioningFor(running.gateway);
    const a = await tenant(provisioning, 'org_tier_std');
    const b = await tenant(provisioning, 'org_tier_ent', { tier: 'enterprise' });
    for (let i = 0; i < 3; i++) await get(a.rawKey);
    expect((await get(a.rawKey)).headers.get('ratelimit-remaining')).toBe('56');
    expect((await get(b.rawKey)).headers.get('ratelimit-limit')).toBe('1000');
  });

  describe('when Redis is unavailable', () => {
    let proxy: TcpProxy;
    let isolated: GatewayService;
    const isolatedNames = testNames(`${__filename}-redis-down`);

    beforeAll(async () => {
      proxy = await startTcpProxy(process.env.REDIS_URL!);
      isolated = await startTestGateway(isolatedNames, { REDIS_URL: proxy.url, RATE_LIMIT_STANDARD: '5' });
    });

    afterAll(async () => {
      await isolated.connection.dropDatabase();
      await isolated.close();
      await proxy.close();
    });

    it('then the API keeps serving, limited in memory, and Redis is used again once it is back', async () => {
      const { rawKey } = await tenant(provisioningFor(isolated), 'org_redis_down');
      const call = () => fetch(`${isolated.url}/api/v1/garages`, { headers: { 'x-api-key': rawKey } });
      expect((await call()).headers.get('ratelimit-remaining')).toBe('4'); // counted in Redis

      proxy.cut();
      await waitFor(() => isolated.redis.status !== 'ready', { message: 'gateway did not notice Redis going away' });
      const started = Date.now();
      const during = [];
      for (let i = 0; i < 6; i++) during.push(await call());
      expect(Date.now() - started).toBeLessThan(2_000); // no waiting on the dead connection
      expect(during.slice(0, 5).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(during[5]?.status).toBe(429); // the in-memory insurance limiter still limits

      proxy.restore();
      await waitFor(() => isolated.redis.status === 'ready', { timeoutMs: 10_000, message: 'no reconnect to Redis' });
      const after = await call();
      expect(after.status).toBe(200);
      expect(after.headers.get('ratelimit-remaining')).toBe('3'); // Redis's count again (1 before + this one)
    });
  });
});

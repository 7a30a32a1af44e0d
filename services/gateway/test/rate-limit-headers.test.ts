import { AppError } from '@pitlane/core';
import { infraUrls, randomId } from '@pitlane/testing';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';

import { rateLimitByIp, rateLimitByKey, type RateLimits } from '../src/entry-points/http/rate-limit';

/** The rate-limit middleware against the real Redis, with small limits so every header value and
 * every refusal can be asserted exactly (issue 18). Each test uses fresh key ids / addresses. */
const { redisUrl } = infraUrls();
const limits: RateLimits = { standard: 3, premium: 5, enterprise: 7, publicPerIp: 2 };

interface Seen {
  headers: Record<string, string>;
  next: jest.Mock;
  error: unknown;
}

describe('rate-limit middleware', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await redis.ping(); // ready: until then the limiter counts in memory (see the Redis-down test)
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function call(middleware: (req: Request, res: Response, next: NextFunction) => Promise<void>, req: Partial<Request>, locals: object = {}): Promise<Seen> {
    const headers: Record<string, string> = {};
    const res = { locals, setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
    const next = jest.fn();
    let error: unknown;
    try {
      await middleware(req as Request, res, next);
    } catch (caught) {
      error = caught;
    }
    return { headers, next, error };
  }
  const asKey = (tier: 'standard' | 'premium' | 'enterprise', id = randomId()) => ({ caller: { key: { _id: id }, organisation: { tier } } });

  it('when a standard key makes its 3 requests of the minute, then each passes with the exact headers', async () => {
    const byKey = rateLimitByKey(redis, limits);
    const key = asKey('standard');
    for (const remaining of [2, 1, 0]) {
      const before = Date.now();
      const seen = await call(byKey, {}, key);
      expect(seen.error).toBeUndefined();
      expect(seen.next).toHaveBeenCalledTimes(1);
      expect(seen.headers).toMatchObject({
        'RateLimit-Limit': '3',
        'RateLimit-Remaining': String(remaining),
        'RateLimit-Policy': '"minute";q=3;w=60',
      });
      expect(seen.headers['RateLimit']).toMatch(new RegExp(`^"minute";r=${remaining};t=(59|60)$`));
      const reset = Number(seen.headers['RateLimit-Reset']);
      expect(reset).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 59);
      expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
      expect(seen.headers).not.toHaveProperty('Retry-After');
    }
  });

  it('when a standard key makes a 4th request, then it is refused with 429, the limit in the message and Retry-After', async () => {
    const byKey = rateLimitByKey(redis, limits);
    const key = asKey('standard');
    for (let i = 0; i < 3; i++) await call(byKey, {}, key);
    const seen = await call(byKey, {}, key);
    expect(seen.next).not.toHaveBeenCalled();
    expect(seen.error).toBeInstanceOf(AppError);
    expect(seen.error).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit of 3 requests a minute exceeded for this API key.' });
    expect(seen.headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '0' });
    const retryAfter = Number(seen.headers['Retry-After']);
    expect([59, 60]).toContain(retryAfter);
    expect(seen.headers['RateLimit']).toBe(`"minute";r=0;t=${retryAfter}`);
  });

  it('when keys of each tier are used, then each gets its tier`s limit and its own budget', async () => {
    const byKey = rateLimitByKey(redis, limits);
    const id = randomId();
    expect((await call(byKey, {}, asKey('premium', id))).headers).toMatchObject({ 'RateLimit-Limit': '5', 'RateLimit-Remaining': '4' });
    expect((await call(byKey, {}, asKey('enterprise', id))).headers).toMatchObject({ 'RateLimit-Limit': '7', 'RateLimit-Remaining': '6' });
    expect((await call(byKey, {}, asKey('standard', id))).headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '2' });
    expect((await call(byKey, {}, asKey('standard'))).headers).toMatchObject({ 'RateLimit-Remaining': '2' }); // another key
  });

  it('when one address calls a public endpoint 3 times, then the 3rd is refused naming the address rule', async () => {
    const byIp = rateLimitByIp(redis, limits);
    const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const first = await call(byIp, { ip });
    expect(first.headers).toMatchObject({ 'RateLimit-Limit': '2', 'RateLimit-Remaining': '1', 'RateLimit-Policy': '"minute";q=2;w=60' });
    expect(first.next).toHaveBeenCalledTimes(1);
    await call(byIp, { ip });
    const third = await call(byIp, { ip });
    expect(third.error).toMatchObject({ status: 429, message: 'Too many requests from this address.' });
    expect(third.next).not.toHaveBeenCalled();
    expect((await call(byIp, { ip: `${ip}0` })).headers['RateLimit-Remaining']).toBe('1'); // another address
  });

  it('when Redis cannot be reached, then the same limit is kept in memory at once, without waiting for Redis', async () => {
    // nothing listens on port 1: the client never becomes ready
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 50, retryStrategy: () => 1000 });
    down.on('error', () => undefined);
    try {
      const byKey = rateLimitByKey(down, limits);
      const key = asKey('standard');
      const started = Date.now();
      for (const remaining of ['2', '1', '0']) {
        expect((await call(byKey, {}, key)).headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': remaining });
      }
      expect((await call(byKey, {}, key)).error).toMatchObject({ status: 429, message: 'Rate limit of 3 requests a minute exceeded for this API key.' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      down.disconnect();
    }
  });

  it('when two gateway instances count the same key, then they share one budget stored under rl:<tier>:<key id> (ops reset it there)', async () => {
    const [one, two] = [rateLimitByKey(redis, limits), rateLimitByKey(redis, limits)];
    for (const tier of ['standard', 'premium', 'enterprise'] as const) {
      const id = randomId();
      const first = await call(one, {}, asKey(tier, id));
      const second = await call(two, {}, asKey(tier, id));
      expect({ tier, first: first.headers['RateLimit-Remaining'], second: second.headers['RateLimit-Remaining'] }).toEqual({ tier, first: String(limits[tier] - 1), second: String(limits[tier] - 2) });
      expect(await redis.exists(`rl:${tier}:${id}`)).toBe(1);
    }
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}-${randomId()}`;
    await call(rateLimitByIp(redis, limits), { ip });
    expect(await redis.exists(`rl:public:${ip}`)).toBe(1);
    // a request whose address is unknown is counted, under one shared 'unknown' budget
    await redis.del('rl:public:unknown');
    expect((await call(rateLimitByIp(redis, limits), {})).headers['RateLimit-Remaining']).toBe('1');
    expect(await redis.exists('rl:public:unknown')).toBe(1);
  });
});

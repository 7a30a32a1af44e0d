import { AppError, errors } from '@pitlane/core';
import { infraUrls, randomId } from '@pitlane/testing';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';

import type { InstanceRegistry } from '../src/data-access/instance-registry';
import { keyAccess, type RateLimits } from '../src/entry-points/http/rate-limit';

/** The key gate (failure throttle per address + the key's rate limit) against the real Redis, with a
 * stand-in authenticate so each outcome (valid, 401, 402, answered without next) is exact. */
const { redisUrl } = infraUrls();
const limits: RateLimits = { standard: 3, premium: 5, enterprise: 7, publicPerIp: 2 };
const FAILURES = 2;

type Outcome = 'valid' | 'invalid' | 'unpaid' | 'answered';

interface Seen {
  status?: number;
  code?: string;
  message?: string;
  headers: Record<string, string>;
  next: jest.Mock;
  authenticated: number;
}

describe('key gate: failed-authentication throttle and rate limit', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await redis.ping();
  });
  afterAll(async () => {
    await redis.quit();
  });

  /** One gate whose authenticate answers `outcome`; `inMemory` says whether the key cache holds the key. */
  function gate(inMemory: boolean, client: Redis = redis, failureLimit = FAILURES, instances?: InstanceRegistry) {
    const state = { outcome: 'valid' as Outcome, calls: 0, keyId: randomId() };
    const authenticate = async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
      state.calls++;
      await Promise.resolve();
      if (state.outcome === 'invalid') throw errors.unauthenticated('API_KEY_INVALID', 'The API key is not valid.');
      res.locals.caller = { key: { _id: state.keyId }, organisation: { tier: 'standard' } };
      if (state.outcome === 'unpaid') throw errors.paymentRequired('API access is a paid add-on that is not enabled for this organisation.');
      if (state.outcome === 'answered') return;
      next();
    };
    const middleware = keyAccess(client, authenticate, { limits, failureLimit, instances, answeredFromMemory: () => inMemory });
    const call = async (ip: string | undefined, outcome: Outcome): Promise<Seen> => {
      state.outcome = outcome;
      const before = state.calls;
      const headers: Record<string, string> = {};
      const res = { locals: {}, setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
      const next = jest.fn();
      const seen: Seen = { headers, next, authenticated: 0 };
      try {
        await middleware({ ip } as Request, res, next);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        Object.assign(seen, { status: error.status, code: error.code, message: error.message });
      }
      seen.authenticated = state.calls - before;
      return seen;
    };
    return { call, state };
  }
  const address = () => `198.51.100.${Math.floor(Math.random() * 250)}-${randomId()}`;
  const THROTTLED = 'Too many failed authentication attempts from this address. Try again later.';

  describe.each([
    ['a key the cache holds', true],
    ['a key that needs a database lookup', false],
  ])('with %s', (_label, inMemory) => {
    it('when the key is valid, then the request goes on with the key`s exact rate-limit headers', async () => {
      const { call } = gate(inMemory);
      const ip = address();
      for (const remaining of [2, 1, 0]) {
        const seen = await call(ip, 'valid');
        expect(seen.status).toBeUndefined();
        expect(seen.next).toHaveBeenCalledTimes(1);
        expect(seen.headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': String(remaining) });
      }
      const over = await call(ip, 'valid');
      expect(over).toMatchObject({ status: 429, code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit of 3 requests a minute exceeded for this API key.' });
      expect(over.next).not.toHaveBeenCalled();
      expect(Number(over.headers['Retry-After'])).toBeGreaterThanOrEqual(59);
    });

    it(`when an address fails ${FAILURES} times, then its next request is 429 with Retry-After, whatever key it sends, and other addresses are untouched`, async () => {
      const { call } = gate(inMemory);
      const ip = address();
      for (let i = 0; i < FAILURES; i++) expect(await call(ip, 'invalid')).toMatchObject({ status: 401, code: 'API_KEY_INVALID' });
      for (const outcome of ['invalid', 'valid'] as const) {
        const seen = await call(ip, outcome);
        expect(seen).toMatchObject({ status: 429, message: THROTTLED });
        expect(seen.next).not.toHaveBeenCalled();
        const retryAfter = Number(seen.headers['Retry-After']);
        expect(retryAfter).toBeGreaterThanOrEqual(59);
        expect(retryAfter).toBeLessThanOrEqual(60);
        // a lookup would reach the database: a throttled address never gets that far
        if (!inMemory) expect(seen.authenticated).toBe(0);
      }
      const other = await call(address(), 'valid');
      expect(other.status).toBeUndefined();
      expect(other.next).toHaveBeenCalledTimes(1);
    });

    it('when the address has one failure less than the limit, then a valid key still passes', async () => {
      const { call } = gate(inMemory);
      const ip = address();
      for (let i = 0; i < FAILURES - 1; i++) await call(ip, 'invalid');
      const seen = await call(ip, 'valid');
      expect(seen.status).toBeUndefined();
      expect(seen.next).toHaveBeenCalledTimes(1);
    });

    it('when the organisation has no API access (402), then that refusal is not counted as a failed authentication', async () => {
      const { call } = gate(inMemory);
      const ip = address();
      for (let i = 0; i < FAILURES + 2; i++) expect(await call(ip, 'unpaid')).toMatchObject({ status: 402 });
      const seen = await call(ip, 'valid');
      expect(seen.status).toBeUndefined();
      expect(seen.next).toHaveBeenCalledTimes(1);
    });

    it('when authentication answers the request itself, then the gate neither goes on nor spends the key`s budget', async () => {
      const { call } = gate(inMemory);
      const ip = address();
      const answered = await call(ip, 'answered');
      expect(answered.next).not.toHaveBeenCalled();
      expect(answered.headers).not.toHaveProperty('RateLimit-Remaining');
      expect((await call(ip, 'valid')).headers['RateLimit-Remaining']).toBe('2');
    });
  });
  it('when an address fails, then its count is stored under rl:authfail:<address> (ops can lift a block there), and a refusal later in the window says how long is left', async () => {
    const { call } = gate(true);
    const ip = address();
    for (let i = 0; i < FAILURES; i++) await call(ip, 'invalid');
    expect(await redis.get(`rl:authfail:${ip}`)).toBe(String(FAILURES));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const seen = await call(ip, 'valid');
    expect(seen.status).toBe(429);
    const left = Math.ceil((await redis.pttl(`rl:authfail:${ip}`)) / 1000);
    expect(Number(seen.headers['Retry-After'])).toBeLessThanOrEqual(59);
    expect(Math.abs(Number(seen.headers['Retry-After']) - left)).toBeLessThanOrEqual(1);
  });

  it('when the request has no client address, then its failures are counted under "unknown"', async () => {
    const prefix = `test:${randomId()}:`;
    const scoped = new Redis(redisUrl, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    try {
      await scoped.ping(); // ready: until then failures are counted in memory
      const { call } = gate(true, scoped);
      await call(undefined, 'invalid');
      expect(await redis.get(`${prefix}rl:authfail:unknown`)).toBe('1');
    } finally {
      await scoped.quit();
    }
  });

  it('when Redis cannot be reached, then failures are counted in memory at once, the budget split across the live gateway instances', async () => {
    // nothing listens on port 1: the client never becomes ready (a command would wait in its offline queue)
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 50, retryStrategy: () => 1000 });
    down.on('error', () => undefined);
    const twoInstances = { onChange: (listener: (count: number) => void) => listener(2) } as unknown as InstanceRegistry;
    try {
      const { call } = gate(false, down, 4, twoInstances);
      const ip = address();
      const started = Date.now();
      // 4 a minute across 2 gateways: 2 here
      for (let i = 0; i < 2; i++) expect(await call(ip, 'invalid')).toMatchObject({ status: 401 });
      expect(await call(ip, 'valid')).toMatchObject({ status: 429, message: THROTTLED });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      down.disconnect();
    }
  });
});

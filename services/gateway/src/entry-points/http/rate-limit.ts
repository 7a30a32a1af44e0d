import { AppError, errors } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import type { InstanceRegistry } from '../../data-access/instance-registry';
import type { Tier } from '../../data-access/tenancy.model';
import { callerOf } from './authenticate';

const WINDOW_SECONDS = 60;

// rate-limiter-flexible's script runs SET NX, INCRBY and PTTL on every consume; this one runs INCRBY and
// then EXPIRE (the request that opens the window) or PTTL: one command less, the same fixed window,
// atomic as before (a script runs alone), so the count stays exact under concurrency.
// Stryker disable next-line StringLiteral: without it the library runs its own script, which counts the same fixed window
const INCR_TTL_SCRIPT = `local consumed = redis.call('incrby', KEYS[1], ARGV[1])
if consumed == tonumber(ARGV[1]) then
  redis.call('expire', KEYS[1], ARGV[2])
  return {consumed, 1000 * tonumber(ARGV[2])}
end
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * tonumber(ARGV[2])
end
return {consumed, ttl}`;

/** Fixed one-minute window per key in Redis (atomic, so exact under concurrency). If Redis is not
 * ready, an in-memory limiter per instance takes over at once and Redis is used again when it is back.
 * The in-memory budget is the key's budget divided by the live gateway instances (last count known
 * from Redis), so the fleet together never grants more than the budget per window during an outage. */
function limiter(redis: Redis, points: number, keyPrefix: string, instances?: InstanceRegistry): RateLimiterRedis {
  // Stryker disable next-line StringLiteral: each in-memory limiter has its own store, so its key prefix cannot collide
  const insurance = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: `${keyPrefix}:memory` });
  instances?.onChange((count) => {
    insurance.points = Math.max(1, Math.floor(points / count));
  });
  return new RateLimiterRedis({
    storeClient: redis,
    points,
    duration: WINDOW_SECONDS,
    keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: insurance,
    customIncrTtlLuaScript: INCR_TTL_SCRIPT,
  });
}

/** The seed's trio plus draft-ietf-httpapi-ratelimit-headers-11's RateLimit-Policy / RateLimit. */
function setHeaders(res: Response, limit: number, state: RateLimiterRes): void {
  const remaining = Math.max(0, state.remainingPoints);
  const resetSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  res.setHeader('RateLimit-Limit', String(limit));
  res.setHeader('RateLimit-Remaining', String(remaining));
  res.setHeader('RateLimit-Reset', String(Math.ceil((Date.now() + state.msBeforeNext) / 1000)));
  res.setHeader('RateLimit-Policy', `"minute";q=${limit};w=${WINDOW_SECONDS}`);
  res.setHeader('RateLimit', `"minute";r=${remaining};t=${resetSeconds}`);
}

async function consume(
  res: Response,
  rateLimiter: RateLimiterRedis,
  limit: number,
  subject: string,
  message: string,
): Promise<void> {
  try {
    setHeaders(res, limit, await rateLimiter.consume(subject));
  } catch (rejection) {
    // Stryker disable next-line ConditionalExpression: unreachable while the in-memory insurance limiter absorbs every Redis error
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    setHeaders(res, limit, rejection);
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
    throw errors.rateLimited(message);
  }
}

export interface RateLimits {
  standard: number;
  premium: number;
  enterprise: number;
  publicPerIp: number;
}

/** Consumes one request of the caller's key budget (per key per minute by the organisation's tier) and sets the headers. */
function keyLimiter(redis: Redis, limits: RateLimits, instances?: InstanceRegistry) {
  const byTier: Record<Tier, RateLimiterRedis> = {
    standard: limiter(redis, limits.standard, 'rl:standard', instances),
    premium: limiter(redis, limits.premium, 'rl:premium', instances),
    enterprise: limiter(redis, limits.enterprise, 'rl:enterprise', instances),
  };
  return (res: Response): Promise<void> => {
    const { key, organisation } = callerOf(res);
    const limit = limits[organisation.tier];
    return consume(res, byTier[organisation.tier], limit, key._id, `Rate limit of ${limit} requests a minute exceeded for this API key.`);
  };
}

/** Per key per minute by the organisation's tier. */
export function rateLimitByKey(redis: Redis, limits: RateLimits, instances?: InstanceRegistry) {
  const consumeFor = keyLimiter(redis, limits, instances);
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    await consumeFor(res);
    next();
  };
}

/** The keyless public endpoints, per client IP. */
export function rateLimitByIp(redis: Redis, limits: RateLimits, instances?: InstanceRegistry) {
  const rateLimiter = limiter(redis, limits.publicPerIp, 'rl:public', instances);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    await consume(res, rateLimiter, limits.publicPerIp, req.ip ?? 'unknown', 'Too many requests from this address.');
    next();
  };
}

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

export interface KeyAccessOptions {
  limits: RateLimits;
  /** failed authentications per address per minute before it gets 429 */
  failureLimit: number;
  instances?: InstanceRegistry;
  /** true when authenticating this request needs no database lookup (the key cache knows its key) */
  answeredFromMemory: (req: Request) => boolean;
}

/**
 * The API key in front of everything: failed authentications are throttled per client address (past
 * `failureLimit` a minute, 429 whatever key is sent), then the key's own rate limit is consumed.
 *
 * A key this instance has in its cache costs no database lookup, so there is nothing to shield: the
 * address's failure count and the key's rate limit are asked together, in one Redis round trip
 * (ioredis pipelines commands sent in the same turn of the event loop). A key that needs a lookup gets
 * the address checked first, as before, so guessing keys from a throttled address never reaches the
 * database. (A request from a throttled address with a cached, valid key spends one point of that key's
 * budget before its 429: the cost of the single round trip.)
 */
export function keyAccess(redis: Redis, authenticate: Handler, options: KeyAccessOptions): Handler {
  const { failureLimit } = options;
  const failures = limiter(redis, failureLimit, 'rl:authfail', options.instances);
  const consumeFor = keyLimiter(redis, options.limits, options.instances);

  const refuseAddress = async (ip: string, res: Response): Promise<never> => {
    // Stryker disable next-line ArrowFunction: null and undefined both fall back to a whole window below
    const state = await failures.get(ip).catch(() => null);
    // Stryker disable next-line OptionalChaining,ArithmeticOperator: state is null only when the window ends between the count and this read, a race no test can force
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((state?.msBeforeNext ?? WINDOW_SECONDS * 1000) / 1000))));
    throw errors.rateLimited('Too many failed authentication attempts from this address. Try again later.');
  };
  /** A 401 counts against the address. */
  const countFailure = async (error: unknown, ip: string): Promise<void> => {
    if (error instanceof AppError && error.status === 401) await failures.consume(ip).catch(() => undefined);
  };
  /** Resolves true when authentication let the request on. */
  const authenticated = async (req: Request, res: Response): Promise<boolean> => {
    let passed = false;
    await authenticate(req, res, () => {
      passed = true;
    });
    return passed;
  };

  return async (req, res, next) => {
    const ip = req.ip ?? 'unknown';
    // Stryker disable next-line ConditionalExpression: the lookup-safe path answers a cached key the same, one Redis round trip later (performance only)
    if (!options.answeredFromMemory(req)) {
      if (await addressBlocked(redis, failures, ip, failureLimit)) await refuseAddress(ip, res);
      try {
        if (!(await authenticated(req, res))) return;
      } catch (error) {
        await countFailure(error, ip);
        throw error;
      }
      await consumeFor(res);
      next();
      return;
    }
    let passed: boolean;
    try {
      passed = await authenticated(req, res);
    } catch (error) {
      // a refusal still waits for the address check: a throttled address learns nothing about the key it sent
      if (await addressBlocked(redis, failures, ip, failureLimit)) await refuseAddress(ip, res);
      await countFailure(error, ip);
      throw error;
    }
    if (!passed) return;
    // both commands leave in one write; a throttled address is refused before any rate-limit answer
    // Stryker disable next-line ArrowFunction: null and undefined both mean "within the limit"
    const [blocked, limited] = await Promise.all([addressBlocked(redis, failures, ip, failureLimit), consumeFor(res).then(() => null, (error: unknown) => error as Error)]);
    if (blocked) await refuseAddress(ip, res);
    if (limited) throw limited;
    next();
  };
}

/** Whether the address has used up its failures this window: one GET on every request while Redis is
 * ready (the limiter's own `get` runs MULTI, GET, PTTL, EXEC), else the limiter's in-memory insurance,
 * whose budget is split across the live gateway instances (so its own verdict, not the full limit, decides). */
async function addressBlocked(redis: Redis, failures: RateLimiterRedis, ip: string, limit: number): Promise<boolean> {
  // only a ready client: a command on one that is not would wait in its offline queue for Redis (the
  // Redis-down test times that); skipping the one-GET path instead gives the same verdict, four commands later
  // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: see above (performance only)
  if (redis.status === 'ready') {
    // Stryker disable next-line BlockStatement: the limiter's own get (below) gives the same verdict, in four commands instead of one
    try {
      return Number((await redis.get(failures.getKey(ip))) ?? 0) >= limit;
    } catch {
      // dropped meanwhile: ask the limiter, which falls back to memory
    }
  }
  // Stryker disable next-line ArrowFunction: the limiter answers from its in-memory insurance on a Redis error; it does not reject
  const state = await failures.get(ip).catch(() => null);
  return state !== null && state.remainingPoints <= 0;
}

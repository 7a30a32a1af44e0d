import { errors } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import type { Tier } from '../../data-access/tenancy.model';
import { callerOf } from './authenticate';

const WINDOW_SECONDS = 60;

/** Fixed one-minute window per key in Redis (atomic, so exact under concurrency). If Redis is not
 * ready, an in-memory limiter per instance takes over at once and Redis is used again when it is back. */
function limiter(redis: Redis, points: number, keyPrefix: string): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    points,
    duration: WINDOW_SECONDS,
    keyPrefix,
    rejectIfRedisNotReady: true,
    // Stryker disable next-line StringLiteral: each in-memory limiter has its own store, so its key prefix cannot collide
    insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: `${keyPrefix}:memory` }),
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

/** Per key per minute by the organisation's tier. */
export function rateLimitByKey(redis: Redis, limits: RateLimits) {
  const byTier: Record<Tier, RateLimiterRedis> = {
    standard: limiter(redis, limits.standard, 'rl:standard'),
    premium: limiter(redis, limits.premium, 'rl:premium'),
    enterprise: limiter(redis, limits.enterprise, 'rl:enterprise'),
  };
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    const { key, organisation } = callerOf(res);
    const limit = limits[organisation.tier];
    await consume(res, byTier[organisation.tier], limit, key._id, `Rate limit of ${limit} requests a minute exceeded for this API key.`);
    next();
  };
}

/** The keyless public endpoints, per client IP. */
export function rateLimitByIp(redis: Redis, limits: RateLimits) {
  const rateLimiter = limiter(redis, limits.publicPerIp, 'rl:public');
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    await consume(res, rateLimiter, limits.publicPerIp, req.ip ?? 'unknown', 'Too many requests from this address.');
    next();
  };
}

import type { NextFunction, Request, Response } from 'express';

import type { TenancyRepository } from '../../data-access/tenancy.repository';
import { maybeCallerOf } from './authenticate';

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'X-API-Key, Authorization, Content-Type, Idempotency-Key, X-Request-Id';
const EXPOSE_HEADERS = 'X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, RateLimit, Retry-After, Idempotent-Replayed, Location';

/**
 * CORS per organisation, off by default (an organisation lists its origins: `npm run admin -- org:cors`
 * or `PUT /console/api/settings/cors`). A preflight carries no key, so `beforeAuth` answers it for an
 * origin that SOME organisation allows (it only lets the browser send the real request), and gives
 * such an origin the header on what comes before authentication (a 401 is readable). `forCaller`,
 * after authentication, sets or takes away the header by the caller's own organisation alone (fresh from the key cache): a
 * browser page can read an answer only with a key of an organisation that trusts its origin.
 */
export function cors(tenancy: TenancyRepository, cacheMs = 5_000) {
  let cached: { origins: Promise<Set<string>>; expiresAt: number } | undefined;
  let lastKnown = new Set<string>();
  const knownOrigins = (): Promise<Set<string>> => {
    if (!cached || cached.expiresAt <= Date.now()) {
      // the database away (the gateway keeps serving cached keys then): the last list we had
      const origins = tenancy.allAllowedOrigins().then(
        (list) => (lastKnown = new Set(list)),
        () => lastKnown,
      );
      cached = { origins, expiresAt: Date.now() + cacheMs };
    }
    return cached.origins;
  };

  const beforeAuth = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const origin = req.header('origin');
    if (!origin) {
      next();
      return;
    }
    res.vary('Origin');
    if (!(await knownOrigins()).has(origin)) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && req.header('access-control-request-method')) {
      res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    next();
  };

  const forCaller = (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.header('origin');
    if (origin) {
      // the caller's organisation decides (fresh from the key cache, not the preflight's few seconds old list)
      if ((maybeCallerOf(res)?.organisation.allowedOrigins ?? []).includes(origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
      } else {
        res.removeHeader('Access-Control-Allow-Origin');
        res.removeHeader('Access-Control-Expose-Headers');
      }
    }
    next();
  };

  return { beforeAuth, forCaller };
}

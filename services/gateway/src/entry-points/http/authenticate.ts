import { errors, type Logger } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';

import type { CachedCaller, KeyCache } from '../../data-access/key-cache';
import type { TenancyRepository } from '../../data-access/tenancy.repository';
import { hashApiKey, looksLikeApiKey } from '../../domain/api-key';

export type Caller = CachedCaller;

/** `X-API-Key: <key>` or `Authorization: Bearer <key>`. */
function presentedKey(req: Request): string | undefined {
  const header = req.header('x-api-key');
  if (header) return header.trim();
  const authorization = req.header('authorization');
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** The presented key's hash, computed once per request (null: no key, or not shaped like one). */
const hashes = new WeakMap<Request, string | null>();
function presentedKeyHash(req: Request): string | null {
  let hash = hashes.get(req);
  if (hash === undefined) {
    const raw = presentedKey(req);
    hash = raw && looksLikeApiKey(raw) ? hashApiKey(raw) : null;
    hashes.set(req, hash);
  }
  return hash;
}

/** Whether authenticating this request needs no database lookup: no key, a malformed one, or one the cache holds. */
export function answeredFromMemory(keys: KeyCache) {
  return (req: Request): boolean => {
    const hash = presentedKeyHash(req);
    return hash === null || keys.holds(hash);
  };
}

/** Authenticates the API key (by hash, through the in-process cache) and its organisation's add-on. */
export function authenticate(keys: KeyCache, tenancy: TenancyRepository, logger: Logger) {
  const lastTouched = new Map<string, number>(); // lastUsedAt is written at most once a minute per instance
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const raw = presentedKey(req);
    if (!raw) throw errors.unauthenticated('API_KEY_MISSING', 'Send your API key in the X-API-Key header or as Authorization: Bearer <key>.');
    const hash = presentedKeyHash(req);
    const caller = hash ? await keys.lookup(hash) : null;
    if (!caller) throw errors.unauthenticated('API_KEY_INVALID', 'The API key is not valid.');
    const { key, organisation } = caller;
    if (key.status === 'revoked') throw errors.unauthenticated('API_KEY_REVOKED', 'The API key has been revoked.');
    if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) {
      throw errors.unauthenticated('API_KEY_EXPIRED', 'The API key has expired.');
    }
    res.locals.caller = caller;
    if (!organisation.apiAccessEnabled) {
      throw errors.paymentRequired('API access is a paid add-on that is not enabled for this organisation.');
    }
    if ((lastTouched.get(key._id) ?? 0) < Date.now() - 60_000) {
      lastTouched.set(key._id, Date.now());
      tenancy.touchKey(key._id).catch((error: unknown) => logger.warn({ err: error }, 'cannot record key use'));
    }
    next();
  };
}

/** Read-only keys may call GET/HEAD only. */
export function requirePermission(req: Request, res: Response, next: NextFunction): void {
  if (callerOf(res).key.permission === 'read' && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    throw errors.forbidden('This API key is read-only; writes need a read_write key.');
  }
  next();
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('callerOf() used on a route without authenticate()');
  return caller;
}

export function maybeCallerOf(res: Response): Caller | undefined {
  return res.locals.caller as Caller | undefined;
}

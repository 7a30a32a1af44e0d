import { errors, type Logger } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';

import type { ApiKey, Organisation } from '../../data-access/models';
import type { TenancyRepository } from '../../data-access/tenancy';
import { hashApiKey, looksLikeApiKey } from '../../domain/api-key';

export interface Caller {
  key: ApiKey;
  organisation: Organisation;
}

/** `X-API-Key: <key>` or `Authorization: Bearer <key>`. */
function presentedKey(req: Request): string | undefined {
  const header = req.header('x-api-key');
  if (header) return header.trim();
  const authorization = req.header('authorization');
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Authenticates the API key (by hash) and its organisation's API add-on. */
export function authenticate(tenancy: TenancyRepository, logger: Logger) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const raw = presentedKey(req);
    if (!raw) throw errors.unauthenticated('API_KEY_MISSING', 'Send your API key in the X-API-Key header.');
    const key = looksLikeApiKey(raw) ? await tenancy.findKeyByHash(hashApiKey(raw)) : null;
    if (!key) throw errors.unauthenticated('API_KEY_INVALID', 'The API key is not valid.');
    if (key.status === 'revoked') throw errors.unauthenticated('API_KEY_REVOKED', 'The API key has been revoked.');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) {
      throw errors.unauthenticated('API_KEY_EXPIRED', 'The API key has expired.');
    }
    const organisation = await tenancy.findOrganisation(key.organisationId);
    if (!organisation) throw errors.unauthenticated('API_KEY_INVALID', 'The API key is not valid.');
    if (!organisation.apiAccessEnabled) {
      throw errors.paymentRequired('API access is a paid add-on that is not enabled for this organisation.');
    }
    if (key.permission === 'read' && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      throw errors.forbidden('This API key is read-only; writes need a read_write key.');
    }
    res.locals.caller = { key, organisation } satisfies Caller;
    tenancy.touchKey(key._id).catch((error: unknown) => logger.warn({ err: error }, 'cannot record key use'));
    next();
  };
}

export function callerOf(res: Response): Caller {
  const caller = res.locals.caller as Caller | undefined;
  if (!caller) throw new Error('callerOf() used on a route without authenticate()');
  return caller;
}

import { authOf, errors } from '@pitlane/core';
import type { Response } from 'express';

import type { Actor } from '../../domain/stock';
import type { Scope } from '../../data-access/item.repository';

/** The garage of the gateway token (and its currency): every query is filtered by it. */
export function scopeOf(res: Response): Scope {
  const auth = authOf(res);
  // the gateway puts the garage (and its currency) into every garage-scoped token
  if (!auth.garageId || !auth.garage) throw errors.internal();
  return { organisationId: auth.organisationId, garageId: auth.garageId, currency: auth.garage.currency };
}

/** Who made a change, for the ledger: the API key of the request. */
export const actorOf = (res: Response): Actor => ({ type: 'api_key', id: authOf(res).keyId });

/** The garage's time zone, for garage-local dates (UTC when the token has none). */
export const timeZoneOf = (res: Response): string => authOf(res).garage?.timezone ?? 'UTC';

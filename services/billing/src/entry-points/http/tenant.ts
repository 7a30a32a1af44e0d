import { authOf, errors } from '@pitlane/core';
import type { Response } from 'express';

import type { Tenant } from '../../application/deps';

/** The garage of the request, from the gateway's token (the gateway owns garages). */
export function tenantOf(res: Response): Tenant & { garageName: string } {
  const auth = authOf(res);
  if (!auth.garageId || !auth.garage) {
    // the gateway always sends the garage on garage routes; without it money has no currency
    throw errors.unavailable('The garage details are missing from the gateway token.');
  }
  return {
    organisationId: auth.organisationId,
    garageId: auth.garageId,
    currency: auth.garage.currency,
    timezone: auth.garage.timezone,
    garageName: auth.garage.name,
  };
}

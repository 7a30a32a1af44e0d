import { errors } from '@pitlane/core';
import type { NextFunction, Request, Response } from 'express';

import type { TenancyRepository } from '../../data-access/tenancy.repository';
import { callerOf } from './authenticate';

/** The autoGMS seed's Quick Reference paths: `/api/v1/<resource>/…` without a garage. */
export const SHORT_PATH_RESOURCES = ['bookings', 'customers', 'services', 'invoices', 'availability'] as const;
const SHORT = new Set<string>(SHORT_PATH_RESOURCES);
const API = '/api/v1';

/**
 * `/api/v1/bookings/…` is `/api/v1/garages/{gid}/bookings/…` for a key that reaches exactly one
 * garage (limited to it, or of an organisation with one): the request is rewritten in place and goes
 * on through the same scope check and proxy as the long form, so both answer alike. A key that reaches
 * several garages (or none) gets 400 GARAGE_REQUIRED naming them: guessing one would write into the
 * wrong garage. Mounted on `/api/v1` after authentication.
 */
export function shortPaths(tenancy: TenancyRepository) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const resource = req.path.split('/')[1] ?? '';
    if (!SHORT.has(resource)) {
      next();
      return;
    }
    const garages = await tenancy.accessibleGarages(callerOf(res).key);
    const only = garages.length === 1 ? garages[0] : undefined;
    if (!only) {
      const named = garages.map((garage) => `${garage._id} (${garage.name})`).join(', ');
      throw errors.validation(
        garages.length === 0
          ? `This API key reaches no garage, so /api/v1/${resource} cannot pick one.`
          : `This API key reaches ${garages.length} garages: ${named}. Call /api/v1/garages/{garageId}/${resource} with one of them.`,
        garages.map((garage) => ({ field: 'garageId', message: `${garage._id} (${garage.name})` })),
        'GARAGE_REQUIRED',
      );
    }
    const prefix = `/garages/${encodeURIComponent(only._id)}`;
    req.url = `${prefix}${req.url}`; // the router puts the `/api/v1` mount back in front on next()
    req.originalUrl = `${API}${prefix}${req.originalUrl.slice(API.length)}`;
    next();
  };
}

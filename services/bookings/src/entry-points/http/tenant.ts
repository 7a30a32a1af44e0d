import { authOf } from '@pitlane/core';
import type { Response } from 'express';

import type { GarageTenant } from '../../domain/types';

/** The garage of the request as the gateway vouched for it (garage routes always have a garageId). */
export function tenantOf(res: Response): GarageTenant {
  const auth = authOf(res);
  return {
    organisationId: auth.organisationId,
    garageId: auth.garageId as string,
    // 'XXX' is ISO 4217 for "no currency": honest if a token ever lacks the garage facts
    currency: auth.garage?.currency ?? 'XXX',
    timezone: auth.garage?.timezone ?? 'UTC',
  };
}

/** Express 5 params are strings; one place to read them typed. */
export function param(req: { params: Record<string, string | string[] | undefined> }, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

import { errors, sendData, validate } from '@pitlane/core';
import type { Router } from 'express';

import type { ConsoleContext } from '../compose';
import { canManageUsers } from '../domain/roles';
import { consoleUserOf } from './console-auth';
import { corsBody } from './console.schemas';

/** `/console/api/settings/cors`: the browser origins allowed to call the API with the organisation's
 * keys (CORS, off while empty); everyone reads, owners change. */
export function settingsRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/api/settings/cors', async (_req, res) => {
    const organisation = await ctx.tenancy.findOrganisation(consoleUserOf(res).organisationId);
    sendData(res, { allowedOrigins: organisation?.allowedOrigins ?? [] });
  });
  router.put('/api/settings/cors', async (req, res) => {
    if (!canManageUsers(consoleUserOf(res).role)) throw errors.forbidden('Only organisation owners can change the allowed origins.');
    const body = validate(corsBody, req.body ?? {}, 'request body');
    sendData(res, { allowedOrigins: await ctx.provisioning.setAllowedOrigins(consoleUserOf(res).organisationId, body.allowedOrigins) });
  });
}

import { sendData, validate } from '@pitlane/core';
import type { Router } from 'express';

import { createConsoleUser, listConsoleUsers } from '../application/manage-users';
import type { ConsoleContext } from '../compose';
import { consoleUserOf, requireOwner } from './console-auth';
import { inviteBody } from './console.schemas';

/** The organisation's console users; owners invite (the one-time password is shown once). */
export function usersRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/api/users', async (_req, res) => {
    sendData(res, await listConsoleUsers(ctx.users, consoleUserOf(res).organisationId));
  });
  router.post('/api/users', requireOwner, async (req, res) => {
    const body = validate(inviteBody, req.body ?? {}, 'request body');
    res.setHeader('Cache-Control', 'no-store');
    sendData(res, await createConsoleUser(ctx, { organisationId: consoleUserOf(res).organisationId, ...body }), 201);
  });
}

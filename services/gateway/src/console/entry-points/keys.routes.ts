import { sendData, validate } from '@pitlane/core';
import type { Router } from 'express';

import { consoleKeyView, createConsoleKey, listConsoleKeys, revokeConsoleKey, rotateConsoleKey } from '../application/console-keys';
import { keyUsage } from '../application/key-usage';
import { emptySummary, keySummaries } from '../application/usage-overview';
import type { ConsoleContext } from '../compose';
import { consoleUserOf, requireKeyManager } from './console-auth';
import { createKeyBody, keyId, rotateKeyBody } from './console.schemas';

/** `/console/api/keys…`: the organisation's own keys only; viewers list, admins and owners change. */
export function keysRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/api/keys', async (_req, res) => {
    const { organisationId } = consoleUserOf(res);
    const { keys, activeKeys, maxActiveKeys } = await listConsoleKeys(ctx, organisationId);
    const usage = await keySummaries(ctx.rollups, ctx.keysMemo, organisationId, keys.map((key) => key._id));
    sendData(res, {
      activeKeys,
      maxActiveKeys,
      items: keys.map((key) => ({ ...consoleKeyView(key), usage: usage.get(key._id) ?? emptySummary })),
    });
  });
  router.post('/api/keys', requireKeyManager, async (req, res) => {
    const body = validate(createKeyBody, req.body ?? {}, 'request body');
    res.setHeader('Cache-Control', 'no-store');
    sendData(res, await createConsoleKey(ctx, consoleUserOf(res).organisationId, body), 201);
  });
  router.post('/api/keys/:id/rotate', requireKeyManager, async (req, res) => {
    const body = validate(rotateKeyBody, req.body ?? {}, 'request body');
    res.setHeader('Cache-Control', 'no-store');
    sendData(res, await rotateConsoleKey(ctx, consoleUserOf(res).organisationId, validate(keyId, req.params.id, 'key id'), body.graceSeconds));
  });
  router.post('/api/keys/:id/revoke', requireKeyManager, async (req, res) => {
    sendData(res, await revokeConsoleKey(ctx, consoleUserOf(res).organisationId, validate(keyId, req.params.id, 'key id')));
  });
  router.get('/api/keys/:id/usage', async (req, res) => {
    sendData(res, await keyUsage(ctx, consoleUserOf(res).organisationId, validate(keyId, req.params.id, 'key id')));
  });
}

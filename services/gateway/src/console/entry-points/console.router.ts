import { dirname, resolve } from 'node:path';

import cookieParser from 'cookie-parser';
import express, { Router } from 'express';

import type { ConsoleContext } from '../compose';
import { authRoutes } from './auth.routes';
import { requireConsoleUser } from './console-auth';
import { keysRoutes } from './keys.routes';
import { settingsRoutes } from './settings.routes';
import { usageRoutes } from './usage.routes';
import { usersRoutes } from './users.routes';

/** services/gateway/web/console, from src/console/entry-points or dist/console/entry-points alike */
const WEB_ROOT = resolve(__dirname, '../../../web/console');
const UPLOT_DIST = dirname(require.resolve('uplot'));

/** Everything under `/console`: the page (static, no CDN), uPlot from node_modules, and the JSON API. */
export function consoleRouter(ctx: ConsoleContext): Router {
  const router = Router();
  router.use('/api', express.json({ limit: '16kb' }), cookieParser());
  // no caching of anything the API answers: keys and tokens must not linger in caches
  router.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  authRoutes(router, ctx);
  router.use('/api', requireConsoleUser(ctx.tokens));
  keysRoutes(router, ctx);
  usageRoutes(router, ctx);
  usersRoutes(router, ctx);
  settingsRoutes(router, ctx);

  const staticHeaders = { setHeaders: (res: express.Response) => res.setHeader('X-Content-Type-Options', 'nosniff') };
  router.use('/vendor/uplot', express.static(UPLOT_DIST, { ...staticHeaders, index: false }));
  router.use(
    (_req, res, next) => {
      res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
      next();
    },
    express.static(WEB_ROOT, staticHeaders),
  );
  return router;
}
